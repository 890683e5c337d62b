package dev.quota.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.spi.CheckView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup and one invocation of each benchmark method, outside JMH, and checks that what
 * it measures is what it claims to measure. Nothing here is timed.
 */
class BenchSmokeTest {

    @Test
    void moneyBenchComputesTheSameAsBigDecimal() {
        MoneyBench money = new MoneyBench();
        MoneyBench decimal = new MoneyBench();
        money.setUp();
        decimal.setUp();
        for (int i = 0; i < 3; i++) {
            assertThat(money.parseMoney()).isEqualTo(Money.of(decimal.parseBigDecimal()));
            assertThat(money.formatMoney()).isEqualTo(decimal.formatBigDecimal());
            assertThat(money.plusMoney().toBigDecimal()).isEqualByComparingTo(decimal.plusBigDecimal());
        }
    }

    @Test
    void evaluatorBenchAllowsTheTypicalRequestAndDeniesTheTightOne() {
        EvaluatorBench bench = new EvaluatorBench();
        bench.setUp();
        assertThat(bench.evaluateBillingAllowed().allowed()).isTrue();
        assertThat(bench.evaluateBillingDenied().reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
    }

    @Test
    void gateInMemoryBenchChecksOnAWarmCacheAndRecordsIntoTheLedger() {
        GateInMemoryBench bench = new GateInMemoryBench();
        GateInMemoryBench.Env env = new GateInMemoryBench.Env();
        Caller caller = new Caller();
        caller.setUp();
        env.start();
        try {
            for (long u = 1; u <= Workload.USERS; u++) {
                assertThat(env.env.stores().cache().cachedBalance(u)).contains(Workload.BALANCE);
                assertThat(env.env.stores().cache().cachedKeyUsage(u, Workload.keyId(u))).isPresent();
                assertThat(env.env.stores().cache().cachedPlatformQuota(u, Workload.PLATFORM)).isPresent();
            }
            assertThat(bench.check(env, caller).allowed()).isTrue();
            assertThat(bench.check4Threads(env, caller).allowed()).isTrue();
            assertThat(bench.checkWithOverrideLookup(env, caller).allowed()).isTrue();
            bench.record(env, caller);
            bench.record4Threads(env, caller);
            assertThat(env.env.stores().usageLog().all()).hasSize(2);
        } finally {
            env.stop();
        }
    }

    @Test
    void gateRedisBenchRunsEveryRoundTripOnAWarmEmbeddedRedis() {
        GateRedisBench bench = new GateRedisBench();
        GateRedisBench.Env env = new GateRedisBench.Env();
        Caller caller = new Caller();
        caller.setUp();
        env.start();
        try {
            for (int i = 0; i < 20; i++) {
                CheckView view = bench.cacheCheck(env, caller);
                assertThat(view.complete()).as("every entry is cached after the warm-up").isTrue();
                assertThat(view.rpmCounted()).isTrue();
            }
            assertThat(bench.gateCheck(env, caller).allowed()).isTrue();
            assertThat(bench.gateCheck4Threads(env, caller).allowed()).isTrue();
            assertThat(bench.gateCheckWithOverrideLookup(env, caller).allowed()).isTrue();
            assertThat(bench.cacheApplyUsage(env, caller)).isTrue();
            bench.gateRecord(env, caller);
            assertThat(env.env.stores().usageLog().all()).hasSize(1);
            assertThat(bench.peerGetIncrby(env, caller)).isTrue();
            assertThat(bench.peerGetIncrby4Threads(env, caller)).isTrue();
        } finally {
            env.stop();
        }
    }

    @Test
    void loadHarnessRunsABoundedLoadAndPrintsItsFigures() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LoadHarness.main(new String[] {"--threads", "2", "--requests", "400", "--warmup", "100"});
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("400 requests (check + record)", "outcomes: {allowed=400}", "p99.9",
                "heap used: before");
    }

    @Test
    void scriptCostCountsOneScriptCallPerCheckRecordAndReserveOnTheServer() {
        try (RedisEnvironment env = RedisEnvironment.start(1)) {
            ScriptCost.Figures f = ScriptCost.measure(env, 2, 25, 25, 25, false);

            assertThat(f.checkCalls()).isEqualTo(25);
            assertThat(f.recordCalls()).isEqualTo(25);
            assertThat(f.reserveCalls()).isEqualTo(25);
            assertThat(f.reserveMicros()).isPositive();
            assertThat(f.checkMicros()).isPositive();
            assertThat(f.recordMicros()).isPositive();
            assertThat(f.checkCpuMicros()).isNotNegative();
            assertThat(f.recordCpuMicros()).isNotNegative();
            assertThat(env.stores().usageLog().all()).isEmpty(); // raw script calls, not the gate
        }
    }
}
