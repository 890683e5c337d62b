package dev.quota.core;

import static dev.quota.core.WriterFixture.config;
import static dev.quota.core.WriterFixture.event;
import static dev.quota.core.WriterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.UsageSink.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The worker threads: write and settle each batch, put a failed round back, end when the buffer stops. */
class UsageWorkersTest {

    private final WriterFixture fx = new WriterFixture();
    private final List<List<UsageEvent>> writes = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    private final UsageTarget target = events -> {
        if (down) {
            throw new IllegalStateException("database down");
        }
        writes.add(List.copyOf(events));
        return WriterFixture.allStored(events);
    };

    private UsageWorkers workers(UsageBuffer buffer, BatchingUsageWriterBuilder<?> config) {
        return new UsageWorkers("test-writer", buffer, new BatchWriter(config, fx.metrics),
                new BatchSettler(buffer, fx.metrics, events -> { }));
    }

    @Test
    void theThreadsWriteAndSettleEachBatchAndEndWhenTheBufferStops() {
        BatchingUsageWriter.Builder config = new BatchingUsageWriter.Builder(target, null).linger(Duration.ZERO)
                .threads(2);
        UsageBuffer buffer = fx.buffer(config);
        UsageWorkers workers = workers(buffer, config);
        workers.start();
        PendingUsage waiting = queue(buffer, PendingUsage.sync(event("a"), new ToldProgress()));
        assertThat(waiting.await()).isEqualTo(Outcome.STORED);
        buffer.beginClose();
        workers.awaitEnd();
        assertThat(writes).containsExactly(List.of(waiting.event));
        assertThat(buffer.select(0, 0, 0).stop()).isTrue();
    }

    @Test
    void aRoundThatFailsGoesBackToTheBufferAndCommittingIsToldOnce() {
        BatchingUsageWriter.Builder config = new BatchingUsageWriter.Builder(target, null).linger(Duration.ZERO)
                .threads(2).maxRetries(0)
                .failedBatchDelay(Duration.ofSeconds(5), Duration.ofSeconds(5));
        UsageBuffer buffer = fx.buffer(config);
        UsageWorkers workers = workers(buffer, config);
        ToldProgress told = new ToldProgress();
        queue(buffer, PendingUsage.async(event("a"), told));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        down = true;
        workers.write(batch);
        assertThat(fx.metrics.get(WriterMetrics.Counter.FAILED_ATTEMPTS)).isEqualTo(1);
        assertThat(buffer.room().pending()).isEqualTo(1);
        assertThat(buffer.select(0, 0, 0).waitNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
        down = false;
        workers.write(buffer.select(0, Duration.ofSeconds(5).toNanos(), 0).batch());
        assertThat(told.calls).containsExactly("committing", "STORED");
        assertThat(buffer.room().pending()).isZero();
    }
}
