package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.QuotaListener;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.testkit.InMemoryUsageSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The record pipeline of issue 8: all-or-nothing {@code record}, synchronous hand-off when the cache cannot take
 * the event, poison isolation, SQL as the judge of duplicates, coherence after an outage, outbox
 * acknowledgement and the recovery drainer, simple mode.
 */
class BillingGateRecordPipelineTest extends GateTest {

    private static final long SAFETY_SECONDS = 30;


    private BatchingUsageWriter.Builder writer(UsageLedger ledger) {
        return BatchingUsageWriter.builder(ledger, q.clock(), q.zone()).maxRetries(0)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .failedBatchDelay(Duration.ofMillis(1), Duration.ofMillis(5)).closeTimeout(Duration.ZERO);
    }

    // ------------------------------------------------------------------ all-or-nothing (step 3)

    /** @return a gate recording through a writer of {@code capacity} events that never waits for room */
    private BillingGate gateOverABuffer(int capacity, int batchSize) {
        BatchingUsageWriter w = closeAfter(writer(q.ledger()).capacity(capacity).batchSize(batchSize)
                .linger(Duration.ZERO).maxSubmitWait(Duration.ZERO).build());
        return open(q.gateBuilder().usageSink(w));
    }

    @Test
    void aFullBufferRefusesTheEventBeforeTheCacheIsCharged() throws Exception {
        BillingGate gate = gateOverABuffer(1, 1);
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));
        q.storeFaults().hang();
        gate.record(usage(q, "1").build()); // takes the only place; its write hangs in the store
        assertThat(q.storeFaults().awaitHungCalls(1, SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue();

        UsageEvent refused = usage(q, "2").build();
        assertThatThrownBy(() -> gate.record(refused)).isInstanceOf(BackendUnavailableException.class);

        assertThat(q.cache().cachedBalance(USER)).as("the refused event charged nothing").contains(usd("4"));
        assertThat(q.cache().outbox().contains(UsageKey.of(refused))).isFalse();
        q.storeFaults().heal();
        gate.flush();
        assertThat(q.usageLog().find(UsageKey.of(refused))).isEmpty();
        assertThat(q.balances().find(USER)).contains(usd("4"));
    }

    @Test
    void withTheCacheDownRecordReturnsOnlyAfterTheStoreCommitted() {
        InMemoryUsageSink lagging = InMemoryUsageSink.forwardingTo(q.ledger(), q.clock(), q.zone());
        lagging.hold(); // asynchronous hand-overs would stay in this process only
        BillingGate gate = open(q.gateBuilder().usageSink(lagging));
        q.cacheFaults().failAlways();

        UsageEvent e = usage(q, "1.5").build();
        gate.record(e);

        assertThat(q.usageLog().find(UsageKey.of(e))).as("stored before record returned").isPresent();
        assertThat(q.balances().find(USER)).contains(usd("3.5"));
        assertThat(lagging.pending()).isEmpty();
    }

    @Test
    void withTheCacheAndTheStoreDownRecordThrowsAndNothingIsChargedAnywhere() {
        BatchingUsageWriter w = writer(q.ledger()).build();
        closeAfter(w);
        BillingGate gate = open(q.gateBuilder().usageSink(w));
        gate.check(request().build());
        gate.flush();
        q.cacheFaults().failAlways();
        q.storeFaults().failAlways();

        UsageEvent e = usage(q, "1").build();
        assertThatThrownBy(() -> gate.record(e)).isInstanceOf(BackendUnavailableException.class);

        q.cacheFaults().heal();
        q.storeFaults().heal();
        gate.flush();
        assertThat(q.usageLog().find(UsageKey.of(e))).as("never stored later").isEmpty();
        assertThat(q.balances().find(USER)).contains(usd("5"));
        assertThat(q.cache().outbox().size()).isZero();
        assertThat(w.pending()).isZero();
    }

    @Test
    void concurrentRecordsIntoASmallBufferChargeExactlyTheAcceptedOnes() throws Exception {
        BillingGate gate = gateOverABuffer(4, 2);
        q.balances().set(USER, usd("1000"));
        gate.check(request().build());
        gate.flush();
        int threads = 16;
        int perThread = 25;
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        List<UsageEvent> acceptedEvents = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        UsageEvent e = usage(q, "0.01").build();
                        try {
                            gate.record(e);
                            accepted.incrementAndGet();
                            acceptedEvents.add(e);
                        } catch (BackendUnavailableException full) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(SAFETY_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        gate.flush();

        assertThat(accepted.get() + refused.get()).isEqualTo((long) threads * perThread);
        Money charged = usd("0.01").times(accepted.get());
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(accepted.get());
        assertThat(q.balances().find(USER)).contains(usd("1000").minus(charged));
        assertThat(q.cache().cachedBalance(USER)).as("the cache charged exactly the accepted records")
                .contains(usd("1000").minus(charged));
        for (UsageEvent e : acceptedEvents) {
            assertThat(q.usageLog().find(UsageKey.of(e))).isPresent();
        }
        assertThat(q.cache().outbox().size()).isZero();
    }

    // ------------------------------------------------------------------ poison (step 2)

    @Test
    void aRejectedEventIsReportedAndNeverHoldsUpTheOthers() throws Exception {
        List<String> rejected = new CopyOnWriteArrayList<>();
        BatchingUsageWriter w = writer(new PoisonRefusingLedger(q.ledger())).batchSize(10)
                .linger(Duration.ofMillis(1)).build();
        closeAfter(w);
        BillingGate gate = open(q.gateBuilder().usageSink(w).listener(new QuotaListener() {
            @Override
            public void onUsageRejected(UsageEvent event, String error) {
                rejected.add(event.requestId() + ": " + error);
            }
        }));
        List<UsageEvent> good = new ArrayList<>();
        for (long user = 100; user < 103; user++) {
            q.balances().set(user, usd("5"));
            good.add(UsageEvent.builder("good-" + user, user).totalCost(usd("1")).billingMode(BillingMode.BALANCE)
                    .occurredAt(q.clock().instant()).build());
        }
        UsageEvent poison = usage(q, "1").model("poison").build();
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));

        gate.record(good.get(0));
        gate.record(poison);
        gate.record(good.get(1));
        gate.record(good.get(2));
        gate.flush();

        for (UsageEvent e : good) {
            assertThat(q.usageLog().find(UsageKey.of(e))).isPresent();
            assertThat(q.balances().find(e.userId())).contains(usd("4"));
        }
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(3);
        assertThat(rejected).containsExactly(poison.requestId() + ": model refused");
        assertThat(w.rejected()).isEqualTo(1);
        assertThat(w.failedAttempts()).as("no batch was retried because of the poison").isZero();
        assertThat(gate.metrics().rejectedUsage()).isEqualTo(1);
        assertThat(q.cache().cachedBalance(USER)).as("the refused charge left the cache").isEmpty();
    }

    // ------------------------------------------------------------------ SQL is the judge (step 5)

    @Test
    void aReplayAfterACacheRestartIsEvictedOnceTheStoreCallsItADuplicate() {
        BillingGate gate = open(q.gateBuilder());
        UsageEvent e = usage(q, "1").build();
        gate.check(request().build());
        gate.flush();
        gate.record(e);
        gate.flush();
        assertThat(q.balances().find(USER)).contains(usd("4"));

        q.cache().clear(); // an empty restart of Redis: the idempotency marker is gone
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("4"));

        gate.record(e); // the cache takes it again; the store refuses it
        gate.flush();

        assertThat(q.balances().find(USER)).contains(usd("4"));
        assertThat(q.cache().cachedBalance(USER)).as("equal to the store or absent")
                .satisfiesAnyOf(b -> assertThat(b).isEmpty(), b -> assertThat(b).contains(usd("4")));
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    // ------------------------------------------------------------------ coherence (step 6)

    @Test
    void afterAnOutageAnEntryThatMissedUsageDoesNotAnswerFromItsOldValue() {
        BillingGate gate = open(q.gateBuilder());
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));

        q.cacheFaults().failAlways();
        gate.record(usage(q, "5").build()); // stored synchronously; the cache missed it and could not evict
        assertThat(q.balances().find(USER)).contains(usd("0"));
        q.cacheFaults().heal();

        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(q.cache().cachedBalance(USER)).isNotEqualTo(java.util.Optional.of(usd("5")));
        assertThat(gate.metrics().owedEvictions()).isZero();
        assertThat(gate.metrics().synchronousStores()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ outbox (step 4)

    @Test
    void storedUsageIsAcknowledgedInTheOutbox() {
        BillingGate gate = open(q.gateBuilder());
        gate.check(request().build());
        gate.flush();
        gate.record(usage(q, "1").build());
        gate.record(usage(q, "1").build());
        gate.flush();
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(2);
        assertThat(q.cache().outbox().size()).isZero();
    }

    @Test
    void aDeadInstancesUsageIsStoredOnceByAnotherInstancesDrainer() throws Exception {
        InMemoryUsageSink deadSink = InMemoryUsageSink.forwardingTo(q.ledger(), q.clock(), q.zone());
        deadSink.hold();
        BillingGate a = q.gateBuilder().usageSink(deadSink).drainInterval(Duration.ofHours(1)).build();
        a.check(request().build());
        a.flush();
        List<UsageEvent> events = List.of(usage(q, "1").build(), usage(q, "0.5").build(), usage(q, "0.25").build());
        events.forEach(a::record);
        assertThat(q.cache().cachedBalance(USER)).contains(usd("3.25"));
        assertThat(deadSink.crash()).hasSize(3); // SIGKILL: A's buffer is gone, A is never closed
        assertThat(q.cache().outbox().size()).isEqualTo(3);

        BatchingUsageWriter w = writer(q.ledger()).linger(Duration.ZERO).build();
        closeAfter(w);
        List<UsageEvent> recovered = new CopyOnWriteArrayList<>();
        CountDownLatch allRecovered = new CountDownLatch(events.size());
        QuotaListener recoveries = new QuotaListener() {
            @Override
            public void onUsageRecovered(UsageEvent event) {
                recovered.add(event);
                allRecovered.countDown();
            }
        };
        BillingGate b = open(q.gateBuilder().usageSink(w).listener(recoveries).drainInterval(Duration.ofMillis(10))
                .drainIdle(Duration.ofSeconds(60)));
        q.clock().advance(Duration.ofSeconds(59));
        b.flush();
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).as("young entries belong to A").isZero();

        q.clock().advance(Duration.ofSeconds(2));
        assertThat(allRecovered.await(SAFETY_SECONDS, TimeUnit.SECONDS)).as("the drainer stored A's events").isTrue();
        assertThat(recovered).containsExactlyInAnyOrderElementsOf(events);
        b.flush();

        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(3);
        for (UsageEvent e : events) {
            assertThat(q.usageLog().find(UsageKey.of(e))).isPresent();
        }
        assertThat(q.balances().find(USER)).contains(usd("3.25"));
        assertThat(b.metrics().drainedUsage()).isEqualTo(3);
        q.clock().advance(Duration.ofMinutes(5));
        b.flush();
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).as("exactly once").isEqualTo(3);
        a.close();
    }

    @Test
    void drainTimingsAreValidated() {
        assertThatThrownBy(() -> BillingGate.builder().drainInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BillingGate.builder().drainIdle(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BillingGate.builder().drainIdle(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ simple mode (step 7)

    @Test
    void simpleModeLogsUsageWithoutBillingIt() {
        BillingGate gate = open(q.gateBuilder().simpleMode(true));
        UsageEvent e = usage(q, "1").platform(GateFixture.PLATFORM).build();
        gate.record(e);
        gate.flush();
        assertThat(q.usageLog().find(UsageKey.of(e))).get()
                .extracting(UsageEvent::billingMode).isEqualTo(BillingMode.NONE);
        assertThat(q.balances().find(USER)).contains(usd("5"));
        assertThat(q.platformQuotas().find(USER, GateFixture.PLATFORM)).isEmpty();
    }
}
