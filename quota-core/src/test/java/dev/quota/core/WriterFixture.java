package dev.quota.core;

import dev.quota.core.spi.LedgerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Shared pieces of the usage writer's part tests: events, a target that stores all, a hand-moved ticker. */
final class WriterFixture {

    static final Instant AT = Instant.parse("2026-11-18T10:00:00Z");

    /** A ticker moved by hand, in nanoseconds. */
    final AtomicLong ticker = new AtomicLong();
    final WriterMetrics metrics = new WriterMetrics();

    static UsageEvent event(String requestId) {
        return UsageEvent.builder(requestId, 42).occurredAt(AT).build();
    }

    /** A target answering every event as newly stored. */
    static UsageTarget.Written allStored(List<UsageEvent> events) {
        return new UsageTarget.Written(new LedgerResult(events, List.of(), List.of()), events.size());
    }

    /** A builder (the parts' configuration) writing to {@link #allStored}, no linger, at once after failures. */
    static BatchingUsageWriter.Builder config() {
        return new BatchingUsageWriter.Builder(WriterFixture::allStored, null).linger(Duration.ZERO);
    }

    UsageBuffer buffer(BatchingUsageWriterBuilder<?> config) {
        return new UsageBuffer(config, metrics, ticker::get);
    }

    /** Reserves a place and queues the event in it. */
    static PendingUsage queue(UsageBuffer buffer, PendingUsage entry) {
        buffer.room().reserve();
        if (!buffer.enqueue(entry)) {
            throw new AssertionError("the buffer had stopped");
        }
        return entry;
    }

    static void seconds(AtomicLong ticker, long seconds) {
        ticker.set(Duration.ofSeconds(seconds).toNanos());
    }

    /** Waits (spinning, bounded) until the condition holds; for a thread blocked inside a part. */
    static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
