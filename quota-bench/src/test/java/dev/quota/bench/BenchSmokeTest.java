package dev.quota.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.spi.CheckView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup and one invocation of each benchmark method, outside JMH, and checks that what
 * it measures is what it claims to measure. Nothing here is timed.
 */
class BenchSmokeTest {

    private final Caller caller = new Caller();
    /** The gate benchmark a test started; its environment is closed after the test. */
    private GateBench started;

    @BeforeEach
    void startCaller() {
        caller.setUp();
    }

    @AfterEach
    void closeStartedEnvironment() {
        if (started != null) {
            started.env.close();
        }
    }

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
        bench.start();
        started = bench;
        for (long u = 1; u <= Workload.USERS; u++) {
            assertThat(bench.env.stores().cache().cachedBalance(u)).contains(Workload.BALANCE);
            assertThat(bench.env.stores().cache().cachedKeyUsage(u, Workload.keyId(u))).isPresent();
            assertThat(bench.env.stores().cache().cachedPlatformQuota(u, Workload.PLATFORM)).isPresent();
        }
        assertGateBenchmarksRun(bench);
    }

    @Test
    void gateRedisBenchRunsEveryRoundTripOnAWarmEmbeddedRedis() {
        GateRedisBench bench = new GateRedisBench();
        bench.start();
        started = bench;
        for (int i = 0; i < 20; i++) {
            CheckView view = bench.cacheCheck(caller);
            assertThat(view.complete()).as("every entry is cached after the warm-up").isTrue();
            assertThat(view.rpmCounted()).isTrue();
        }
        assertGateBenchmarksRun(bench);
        assertThat(bench.cacheApplyUsage(caller)).isTrue();
        assertThat(bench.peerGetIncrby(caller)).isTrue();
        assertThat(bench.peerGetIncrby4Threads(caller)).isTrue();
    }

    /** Runs each inherited {@link GateBench} benchmark once: every check is allowed, both records are stored. */
    private void assertGateBenchmarksRun(GateBench bench) {
        assertThat(bench.check(caller).allowed()).isTrue();
        assertThat(bench.check4Threads(caller).allowed()).isTrue();
        assertThat(bench.checkWithOverrideLookup(caller).allowed()).isTrue();
        bench.record(caller);
        bench.record4Threads(caller);
        assertThat(bench.env.stores().usageLog().all()).hasSize(2);
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
    void scriptCostCountsSevenPlainCommandsPerCheckAndOneScriptCallPerRecordAndReserveOnTheServer() {
        try (RedisEnvironment env = RedisEnvironment.start(1)) {
            ScriptCost.Figures f = ScriptCost.measure(env, 2, 25, 25, 25, false);

            // three HMGET (balance, platform and key entries), SET NX PX and INCR for each of the two RPM counters
            assertThat(f.checkCommands()).isEqualTo(7.0);
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

    @Test
    void clientCostRunsTheAdaptersJavaPathOnRecordedRepliesAndAllocatesOnEveryCall() {
        ClientCost cost = ClientCost.recorded(); // the server it recorded from is stopped

        double[] f = cost.round(50);

        assertThat(f).hasSize(6);
        for (double perCall : f) {
            assertThat(perCall).isPositive();
        }
    }
}
