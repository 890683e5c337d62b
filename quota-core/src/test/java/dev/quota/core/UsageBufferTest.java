package dev.quota.core;

import static dev.quota.core.WriterFixture.awaitUntil;
import static dev.quota.core.WriterFixture.config;
import static dev.quota.core.WriterFixture.event;
import static dev.quota.core.WriterFixture.queue;
import static dev.quota.core.WriterFixture.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageSink.Progress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The buffer's decisions, on a hand-moved ticker: lingering, batch size, hurry, failed rounds, flush, close. */
class UsageBufferTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final WriterFixture fx = new WriterFixture();

    private static PendingUsage async(String id) {
        return PendingUsage.async(event(id), Progress.NONE);
    }

    @Test
    void aPartialBatchLingersUntilItsDeadline() {
        UsageBuffer buffer = fx.buffer(config().batchSize(10).linger(Duration.ofSeconds(10)));
        queue(buffer, async("a"));
        UsageBuffer.Step first = buffer.select(0, 0, 0);
        assertThat(first.batch()).isNull();
        assertThat(first.waitNanos()).isEqualTo(10 * SECOND);
        UsageBuffer.Step later = buffer.select(0, 4 * SECOND, first.lingerDeadline());
        assertThat(later.batch()).isNull();
        assertThat(later.waitNanos()).isEqualTo(6 * SECOND);
        UsageBuffer.Step due = buffer.select(0, 10 * SECOND, later.lingerDeadline());
        assertThat(due.batch().events()).extracting(e -> e.requestId()).containsExactly("a");
    }

    @Test
    void aFullBatchIsTakenAtOnceAndHoldsAtMostBatchSizeEventsInOrder() {
        UsageBuffer buffer = fx.buffer(config().batchSize(2).linger(Duration.ofHours(1)));
        queue(buffer, async("a"));
        queue(buffer, async("b"));
        queue(buffer, async("c"));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        assertThat(batch.events()).extracting(e -> e.requestId()).containsExactly("a", "b");
        assertThat(batch.minSeq()).isEqualTo(1);
        assertThat(buffer.select(0, 0, 0).batch()).isNull();
        assertThat(buffer.room().pending()).isEqualTo(3);
    }

    @Test
    void aSynchronousCallerIsWrittenWithoutLingering() {
        UsageBuffer buffer = fx.buffer(config().linger(Duration.ofHours(1)));
        queue(buffer, async("a"));
        queue(buffer, PendingUsage.sync(event("b"), Progress.NONE));
        assertThat(buffer.select(0, 0, 0).batch().entries).hasSize(2);
    }

    @Test
    void aBatchThatFailedARoundWaitsLongerEachRoundUpToTheMaximum() {
        UsageBuffer buffer = fx.buffer(config().failedBatchDelay(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        queue(buffer, async("a"));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        long[] expectedWaits = {1, 2, 3, 3};
        long now = 0;
        for (long wait : expectedWaits) {
            fx.ticker.set(now);
            UsageBuffer.FailedRound round = buffer.failedRound(batch);
            assertThat(round.retained()).isEqualTo(1);
            assertThat(buffer.select(0, now, 0).waitNanos()).isEqualTo(wait * SECOND);
            assertThat(buffer.select(0, now + wait * SECOND - 1, 0).batch()).isNull();
            now += wait * SECOND;
            assertThat(buffer.select(0, now, 0).batch()).isSameAs(batch);
        }
        assertThat(batch.rounds).isEqualTo(4);
        assertThat(buffer.room().pending()).isEqualTo(1);
    }

    @Test
    void aFailedRoundAnswersSynchronousCallersAndKeepsTheRest() {
        UsageBuffer buffer = fx.buffer(config());
        PendingUsage kept = queue(buffer, async("a"));
        PendingUsage answered = queue(buffer, PendingUsage.sync(event("b"), Progress.NONE));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        UsageBuffer.FailedRound round = buffer.failedRound(batch);
        assertThat(round.synchronous()).containsExactly(answered);
        assertThat(round.abandoned()).isEmpty();
        assertThat(batch.entries).containsExactly(kept);
        assertThat(buffer.room().pending()).isEqualTo(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
    }

    @Test
    void releasedEventsFreeTheirPlacesAndTheAccountingRunsWithIt() {
        UsageBuffer buffer = fx.buffer(config().capacity(1).maxSubmitWait(Duration.ZERO).batchSize(1));
        queue(buffer, async("a"));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        AtomicBoolean counted = new AtomicBoolean();
        buffer.release(batch.entries, () -> counted.set(true));
        assertThat(counted).isTrue();
        assertThat(buffer.room().pending()).isZero();
        buffer.room().reserve();
    }

    @Test
    void closingStopsTheWorkersOnceNothingIsLeft() {
        UsageBuffer buffer = fx.buffer(config());
        buffer.beginClose();
        assertThat(buffer.select(0, 0, 0).stop()).isTrue();
        assertThatThrownBy(buffer.room()::reserve).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingWritesWhatIsQueuedWithoutLingeringFirst() {
        UsageBuffer buffer = fx.buffer(config().linger(Duration.ofHours(1)));
        queue(buffer, async("a"));
        buffer.beginClose();
        assertThat(buffer.select(0, 0, 0).batch().entries).hasSize(1);
    }

    @Test
    void aSlotReservedBeforeCloseIsWaitedForUntilTheCloseTimeoutThenItsEventIsLate() {
        UsageBuffer buffer = fx.buffer(config().closeTimeout(Duration.ofSeconds(30)));
        buffer.room().reserve();
        buffer.beginClose();
        UsageBuffer.Step waiting = buffer.select(0, 0, 0);
        assertThat(waiting.stop()).isFalse();
        assertThat(waiting.waitNanos()).isEqualTo(30 * SECOND);
        assertThat(buffer.select(0, 30 * SECOND, 0).stop()).isTrue();
        assertThat(buffer.enqueue(async("late"))).isFalse();
        assertThat(fx.metrics.get(WriterMetrics.Counter.SUBMITTED)).isEqualTo(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
        assertThat(buffer.room().pending()).isZero();
    }

    @Test
    void atCloseAFailingBatchGetsOneMoreRoundThenIsAbandonedAtTheDeadline() {
        UsageBuffer buffer = fx.buffer(config().closeTimeout(Duration.ofSeconds(10))
                .failedBatchDelay(Duration.ofMinutes(1), Duration.ofMinutes(5)));
        queue(buffer, async("a"));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        buffer.failedRound(batch);
        assertThat(buffer.select(0, 0, 0).waitNanos()).isEqualTo(60 * SECOND);
        buffer.beginClose();
        assertThat(buffer.select(0, 0, 0).batch()).isSameAs(batch);
        buffer.failedRound(batch);
        assertThat(buffer.select(0, 0, 0).waitNanos()).isEqualTo(10 * SECOND);
        assertThat(buffer.select(0, 10 * SECOND, 0).batch()).isSameAs(batch);
        seconds(fx.ticker, 10);
        UsageBuffer.FailedRound round = buffer.failedRound(batch);
        assertThat(round.abandoned()).hasSize(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
        assertThat(buffer.room().pending()).isZero();
        assertThat(buffer.select(0, 10 * SECOND, 0).stop()).isTrue();
    }

    @Test
    void flushReturnsAtOnceWhenNothingIsOutstanding() {
        UsageBuffer buffer = fx.buffer(config());
        buffer.flush();
        assertThat(buffer.ticketsIssued()).isZero();
    }

    /** Queues one lingering event and starts a flush of it on another thread. */
    private static Thread flushOneEvent(UsageBuffer buffer) {
        queue(buffer, async("a"));
        Thread flusher = new Thread(buffer::flush);
        flusher.start();
        awaitUntil("the flush is waiting", () -> buffer.ticketsIssued() == 1);
        return flusher;
    }

    @Test
    void aFlushHurriesTheQueueAndReturnsOnceItIsSettled() throws Exception {
        UsageBuffer buffer = fx.buffer(config().linger(Duration.ofHours(1)));
        Thread flusher = flushOneEvent(buffer);
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        assertThat(batch).isNotNull();
        assertThat(flusher.isAlive()).isTrue();
        buffer.release(batch.entries, () -> { });
        flusher.join();
    }

    @Test
    void aFlushReturnsWhenABatchItCoversFailsARoundThatBeganAfterIt() throws Exception {
        UsageBuffer buffer = fx.buffer(config().linger(Duration.ofHours(1)));
        Thread flusher = flushOneEvent(buffer);
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        batch.ticketsAtStart = buffer.ticketsIssued();
        buffer.failedRound(batch);
        flusher.join();
        assertThat(buffer.room().pending()).isEqualTo(1);
    }

    @Test
    void aWorkerWaitingForWorkTakesTheBatchOnceItIsQueued() throws Exception {
        UsageBuffer buffer = fx.buffer(config());
        UsageBatch[] taken = new UsageBatch[1];
        Thread worker = new Thread(() -> taken[0] = buffer.next(0));
        worker.start();
        queue(buffer, async("a"));
        worker.join();
        assertThat(taken[0].entries).hasSize(1);
    }

    private static PendingUsage ofUser(long userId, String id) {
        return PendingUsage.async(UsageEvent.builder(id, userId).occurredAt(WriterFixture.AT).build(), Progress.NONE);
    }

    /** Two users whose events go to different partitions of two: {@code a}'s partition is {@code pa}. */
    private record Apart(long a, long b, int pa) {
        int pb() {
            return 1 - pa;
        }
    }

    private static Apart twoUsersApart() {
        long second = 2;
        while (UsageBuffer.partitionOf(second, 2) == UsageBuffer.partitionOf(1, 2)) {
            second++;
        }
        return new Apart(1, second, UsageBuffer.partitionOf(1, 2));
    }

    @Test
    void aUsersPartitionIsFixedAndSequentialIdsSpreadEvenly() {
        int[] counts = new int[4];
        for (long user = 1; user <= 40_000; user++) {
            int p = UsageBuffer.partitionOf(user, 4);
            assertThat(UsageBuffer.partitionOf(user, 4)).isEqualTo(p);
            counts[p]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_000, 11_000);
        }
        assertThat(UsageBuffer.partitionOf(-7, 3)).isBetween(0, 2);
        assertThat(UsageBuffer.partitionOf(Long.MIN_VALUE, 3)).isBetween(0, 2);
        assertThat(UsageBuffer.partitionOf(123, 1)).isZero();
    }

    @Test
    void eachWorkerTakesOnlyItsOwnUsersEventsInTheOrderHandedOver() {
        UsageBuffer buffer = fx.buffer(config().threads(2).batchSize(10).linger(Duration.ZERO));
        Apart u = twoUsersApart();
        queue(buffer, ofUser(u.a(), "a1"));
        queue(buffer, ofUser(u.b(), "b1"));
        queue(buffer, ofUser(u.a(), "a2"));
        queue(buffer, ofUser(u.b(), "b2"));
        assertThat(buffer.select(u.pa(), 0, 0).batch().events()).extracting(e -> e.requestId())
                .containsExactly("a1", "a2");
        assertThat(buffer.select(u.pa(), 0, 0).batch()).isNull();
        assertThat(buffer.select(u.pb(), 0, 0).batch().events()).extracting(e -> e.requestId())
                .containsExactly("b1", "b2");
    }

    @Test
    void aFullBatchOfOneUserIsNotHeldBackByAnotherPartitionsLinger() {
        UsageBuffer buffer = fx.buffer(config().threads(2).batchSize(2).linger(Duration.ofHours(1)));
        Apart u = twoUsersApart();
        queue(buffer, ofUser(u.b(), "b1"));
        queue(buffer, ofUser(u.a(), "a1"));
        queue(buffer, ofUser(u.a(), "a2"));
        assertThat(buffer.select(u.pb(), 0, 0).batch()).isNull();
        assertThat(buffer.select(u.pa(), 0, 0).batch().entries).hasSize(2);
    }

    @Test
    void aSynchronousEventHurriesOnlyItsOwnPartition() {
        UsageBuffer buffer = fx.buffer(config().threads(2).linger(Duration.ofHours(1)));
        Apart u = twoUsersApart();
        queue(buffer, ofUser(u.b(), "b1"));
        queue(buffer, PendingUsage.sync(UsageEvent.builder("a1", u.a()).occurredAt(WriterFixture.AT).build(),
                Progress.NONE));
        assertThat(buffer.select(u.pb(), 0, 0).batch()).isNull();
        assertThat(buffer.select(u.pa(), 0, 0).batch().events()).extracting(e -> e.requestId()).containsExactly("a1");
    }

    @Test
    void aFailedBatchIsRetriedByAnyWorker() {
        UsageBuffer buffer = fx.buffer(config().threads(2).linger(Duration.ZERO)
                .failedBatchDelay(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        Apart u = twoUsersApart();
        queue(buffer, ofUser(u.a(), "a1"));
        UsageBatch batch = buffer.select(u.pa(), 0, 0).batch();
        buffer.failedRound(batch);
        assertThat(buffer.select(u.pb(), SECOND, 0).batch()).isSameAs(batch);
    }

    @Test
    void whenClosingAWorkerWithAnEmptyQueueStopsWhileTheOtherStillWritesItsOwn() {
        UsageBuffer buffer = fx.buffer(config().threads(2).linger(Duration.ofHours(1)));
        Apart u = twoUsersApart();
        queue(buffer, ofUser(u.a(), "a1"));
        buffer.beginClose();
        assertThat(buffer.select(u.pb(), 0, 0).stop()).isTrue();
        UsageBatch last = buffer.select(u.pa(), 0, 0).batch();
        assertThat(last.events()).extracting(e -> e.requestId()).containsExactly("a1");
        buffer.release(last.entries, () -> { });
        assertThat(buffer.select(u.pa(), 0, 0).stop()).isTrue();
    }
}
