package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Checks answered from the stores (cache down, cold or dirty) count every usage this gate recorded before the
 * check began, also when the check joins a store load that another check started earlier.
 */
class BillingGateStoreReadTest extends GateTest {

    private BillingGate gate;


    @Test
    void aCheckJoiningALoadInFlightCountsUsageRecordedBeforeItBegan() throws Exception {
        HeldSink sink = new HeldSink(q.usageSink());
        // Every cache check fails, so every check reads the stores; the cache still takes usage (with the whole
        // cache down, record would wait for the hung store: it stores synchronously when the cache cannot take it).
        gate = open(q.gateBuilder().cache(checksFail(q.cache())).usageSink(sink).loadTimeout(Duration.ofSeconds(30))
                );
        q.storeFaults().hang();
        CompletableFuture<Decision> first = CompletableFuture.supplyAsync(() -> gate.check(request().build()));
        assertThat(q.storeFaults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();

        gate.record(usage(q, "5").build()); // the whole balance, on its way to the store

        AtomicReference<Decision> second = new AtomicReference<>();
        Thread joiner = new Thread(() -> second.set(gate.check(request().build())));
        joiner.start();
        assertThat(Blocked.awaitWaitingIn(joiner, "SingleFlight", "load")).as("joined the load in flight").isTrue();
        q.storeFaults().heal();
        joiner.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(second.get().reason()).as("began after the usage: 5 - 5 USD left")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(first.get(30, TimeUnit.SECONDS).reason()).as("its read returned after the usage was recorded")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(q.storeFaults().calls("BalanceStore.find")).as("one shared store read").isEqualTo(1);
    }

    @Test
    void withTheCacheDownCheckThenRecordOverspendsByAtMostTheRequestsInFlight() throws Exception {
        int threads = 32;
        long maxCost = usd("0.5").nanos();
        Money limit = usd("10");
        gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        for (int round = 0; round < 10; round++) {
            long user = 1000 + round;
            q.balances().set(user, usd("1000"));
            CheckRequest limited = CheckRequest.builder(user).noGroupRpmOverride()
                    .apiKey(user, new KeyLimits(Limit.of(limit), Limit.unlimited(), Limit.unlimited())).build();
            AtomicLong ids = new AtomicLong();
            Race.run(threads, t -> {
                Random random = new Random(Thread.currentThread().getId());
                for (int i = 0; i < 100; i++) {
                    if (gate.check(limited).denied()) {
                        return;
                    }
                    gate.record(UsageEvent.builder("r" + ids.incrementAndGet(), user).apiKeyId(user)
                            .totalCost(Money.ofNanos(1 + random.nextInt((int) maxCost)))
                            .occurredAt(q.clock().instant()).build());
                }
            });
            gate.flush();
            long used = q.windowCounters().findKeyUsage(user, user).orElseThrow().fiveHours().used();
            assertThat(used).as("round %s", round).isLessThanOrEqualTo(limit.nanos() + threads * maxCost)
                    .isGreaterThan(limit.nanos() / 2); // (a sink that does not report commits may deny early)
        }
    }

    /** The cache, except that every {@code check} fails as an unreachable cache's would. */
    private static dev.quota.core.spi.BillingCache checksFail(dev.quota.core.spi.BillingCache cache) {
        return (dev.quota.core.spi.BillingCache) java.lang.reflect.Proxy.newProxyInstance(
                BillingGateStoreReadTest.class.getClassLoader(), new Class<?>[] {dev.quota.core.spi.BillingCache.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("check")) {
                        throw new dev.quota.core.BackendUnavailableException("injected: check failed");
                    }
                    try {
                        return method.invoke(cache, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
