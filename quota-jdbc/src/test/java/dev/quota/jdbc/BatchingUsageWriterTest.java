package dev.quota.jdbc;

import dev.quota.core.BatchingUsageWriter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.testkit.Faults;
import dev.quota.testkit.InMemoryUsageLedger;
import dev.quota.testkit.InMemoryUsageLog;
import dev.quota.testkit.MutableClock;
import dev.quota.testkit.Threads;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The batching writer against in-memory ports: back-pressure, retries, flush and close, abandonment, counters,
 * eager validation. Waits are for conditions, with generous safety bounds that are never speed assertions.
 */
class BatchingUsageWriterTest {

    private static final long SAFETY_SECONDS = 30;

    /** The faults of this test's log (JUnit makes a new instance, so a new log, for every test). */
    private final Faults faults = new Faults();
    /** The usage log the test's writer writes to. */
    private final InMemoryUsageLog log = new InMemoryUsageLog(faults);

    private static BatchingUsageWriter.Builder fast(InMemoryUsageLog log) {
        return Writers.fastRetries(log).linger(Duration.ZERO);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void anOverfullBufferBlocksTheCallerInsteadOfDropping() throws Exception {
        List<UsageEvent> events = Events.many("full", 5);
        faults.hang();
        try (BatchingUsageWriter writer = fast(log).capacity(4).batchSize(2).build()) {
            for (int i = 0; i < 4; i++) {
                writer.submit(events.get(i));
            }
            assertThat(faults.awaitHungCalls(1, SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue(); // a batch is in flight

            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    writer.submit(events.get(4));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "blocked-caller");
            caller.start();
            await("the fifth submit blocks", () -> writer.blockedSubmitters() == 1);

            assertThat(caller.isAlive()).isTrue();
            assertThat(writer.submitted()).isEqualTo(4);
            assertThat(writer.pending()).isEqualTo(4);
            assertThat(log.size()).isZero();

            faults.release();
            caller.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
            assertThat(caller.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            writer.flush();
            assertThat(writer.submitted()).isEqualTo(5);
            assertThat(writer.written()).isEqualTo(5);
            assertThat(writer.pending()).isZero();
        }
        assertThat(log.size()).isEqualTo(5);
    }

    @Test
    void aBoundedSubmitWaitTurnsAFullBufferIntoAnExceptionAndTakesNothing() throws Exception {
        faults.hang();
        try (BatchingUsageWriter writer = fast(log).capacity(1).batchSize(1).maxSubmitWait(Duration.ZERO).build()) {
            writer.submit(Events.event("a", 1, Events.T0));
            assertThat(faults.awaitHungCalls(1, SAFETY_SECONDS, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> writer.submit(Events.event("b", 1, Events.T0)))
                    .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("not taken");
            assertThat(writer.submitted()).isEqualTo(1);
            faults.release();
        }
        assertThat(log.find(new UsageKey(1, "a"))).isPresent();
        assertThat(log.find(new UsageKey(1, "b"))).isEmpty();
    }

    @Test
    void failedWritesAreRetriedAcrossRoundsUntilStoredOnce() {
        faults.failNext(7);
        List<UsageEvent> events = Events.many("retry", 30);

        try (BatchingUsageWriter writer = fast(log).maxRetries(2).batchSize(10).build()) {
            Writers.submitAndDrain(writer, events, 10);
            Writers.assertDrained(writer, 30, 7);
            assertThat(writer.abandoned()).isZero();
        }
        assertThat(log.size()).isEqualTo(30);
    }

    @Test
    void flushReturnsAfterAFailedRoundAndTheEventsStayBuffered() {
        faults.failAlways();

        try (BatchingUsageWriter writer = fast(log).maxRetries(1)
                .failedBatchDelay(Duration.ofHours(1), Duration.ofHours(1)).build()) {
            writer.submit(Events.event("a", 1, Events.T0));
            writer.submit(Events.event("b", 1, Events.T0));
            writer.flush();

            assertThat(writer.pending()).isEqualTo(2);
            assertThat(writer.failedAttempts()).isGreaterThanOrEqualTo(2);
            assertThat(writer.written()).isZero();

            faults.heal();
            writer.flush();
            assertThat(writer.pending()).isZero();
            assertThat(writer.written()).isEqualTo(2);
        }
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void closeAbandonsWhatStillFailsAfterItsRetriesAndHandsItOver() {
        faults.failAlways();
        List<UsageEvent> abandoned = new CopyOnWriteArrayList<>();
        List<UsageEvent> events = Events.many("lost", 3);
        BatchingUsageWriter writer = fast(log).maxRetries(1).closeTimeout(Duration.ZERO)
                .failedBatchDelay(Duration.ofHours(1), Duration.ofHours(1)).onAbandoned(abandoned::addAll).build();
        events.forEach(writer::submit);

        writer.close();

        assertThat(abandoned).containsExactlyInAnyOrderElementsOf(events);
        assertThat(writer.abandoned()).isEqualTo(3);
        assertThat(writer.pending()).isZero();
        assertThat(writer.submitted()).isEqualTo(writer.written() + writer.abandoned() + writer.pending());
        assertThat(log.size()).isZero();
    }

    @Test
    void eachEventIsSettledOnceAndOnlyAfterItIsStored() {
        List<UsageEvent> events = Events.many("settle", 5);
        Map<String, Boolean> storedWhenSettled = new ConcurrentHashMap<>();
        AtomicInteger settles = new AtomicInteger();
        faults.failAlways();
        try (BatchingUsageWriter writer = fast(log).batchSize(2).build()) {
            for (UsageEvent e : events) {
                writer.submit(e, outcome -> {
                    settles.incrementAndGet();
                    storedWhenSettled.put(e.requestId(), log.find(UsageKey.of(e)).isPresent());
                });
            }
            await("writes fail", () -> writer.failedAttempts() >= 2);
            assertThat(settles).as("nothing is settled while the store fails").hasValue(0);

            faults.heal();
            writer.flush();
            assertThat(settles).hasValue(5);
            assertThat(storedWhenSettled).hasSize(5).doesNotContainValue(false);
        }
        assertThat(settles).as("close settles nothing twice").hasValue(5);
    }

    @Test
    void abandonedEventsAreSettledToo() {
        faults.failAlways();
        List<String> settled = new CopyOnWriteArrayList<>();
        BatchingUsageWriter writer = fast(log).maxRetries(1).closeTimeout(Duration.ZERO)
                .failedBatchDelay(Duration.ofHours(1), Duration.ofHours(1)).build();
        for (UsageEvent e : Events.many("given-up", 3)) {
            writer.submit(e, outcome -> settled.add(e.requestId() + ":" + outcome));
        }

        writer.close();

        assertThat(writer.abandoned()).isEqualTo(3);
        assertThat(settled).containsExactlyInAnyOrder("given-up-0:ABANDONED", "given-up-1:ABANDONED",
                "given-up-2:ABANDONED");
    }

    @Test
    void aFailingSettleCallbackDoesNotStopTheWriter() {
        try (BatchingUsageWriter writer = fast(log).build()) {
            for (UsageEvent e : Events.many("cb", 3)) {
                writer.submit(e, outcome -> {
                    throw new IllegalStateException("a broken callback");
                });
            }
            writer.flush();
            writer.submit(Events.event("after", 1, Events.T0));
            writer.flush();
            assertThat(log.size()).isEqualTo(4);
        }
    }

    @Test
    void closeWritesEverythingEvenWithALongLinger() {
        BatchingUsageWriter writer = BatchingUsageWriter.builder(log).linger(Duration.ofDays(1)).batchSize(1_000).build();
        Events.many("linger", 10).forEach(writer::submit);

        writer.close();
        writer.close();

        assertThat(log.size()).isEqualTo(10);
        assertThat(writer.written()).isEqualTo(10);
        assertThatThrownBy(() -> writer.submit(Events.event("late", 1, Events.T0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyCallersAndWorkersStoreEveryEventOnce() throws Exception {
        try (BatchingUsageWriter writer = BatchingUsageWriter.builder(log).threads(4).capacity(100).batchSize(7)
                .linger(Duration.ofMillis(1)).build()) {
            Threads.race(8, t -> {
                for (UsageEvent e : Events.many("c" + t, 500)) {
                    writer.submit(e);
                }
                return null;
            });
            writer.flush();
            assertThat(writer.written()).isEqualTo(4_000);
            assertThat(writer.newlyStored()).isEqualTo(4_000);
        }
        assertThat(log.size()).isEqualTo(4_000);
    }

    @Test
    void aLedgerTargetAppliesCountersWithTheClocksNow() {
        InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
        MutableClock clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
        UsageEvent e = UsageEvent.builder("k-1", 5).apiKeyId(9).actualCost(Money.ofNanos(70))
                .occurredAt(Events.T0).build();

        try (BatchingUsageWriter writer = BatchingUsageWriter.builder(ledger, clock, ZoneId.of("Asia/Shanghai"))
                .linger(Duration.ZERO).build()) {
            writer.submit(e);
            writer.flush();
        }

        assertThat(ledger.log().find(new UsageKey(5, "k-1"))).contains(e);
        assertThat(ledger.balances().find(5)).contains(Money.ofNanos(-70));
        assertThat(ledger.windowCounters().findKeyUsage(5, 9).orElseThrow().fiveHours().start())
                .isEqualTo(clock.instant());
    }

    @Test
    void theBuilderValidatesEagerly() {
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).capacity(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).linger(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).threads(65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).retryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).failedBatchDelay(Duration.ofSeconds(2), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).closeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).maxSubmitWait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).threadName(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).capacity(10).batchSize(11).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchingUsageWriter.builder(log).onAbandoned(null))
                .isInstanceOf(NullPointerException.class);
    }
}
