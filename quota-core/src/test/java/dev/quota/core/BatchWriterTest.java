package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One round of writing a batch: retries within the round, every failed attempt counted, the last failure thrown. */
class BatchWriterTest {

    private final WriterMetrics metrics = new WriterMetrics();
    private final AtomicInteger calls = new AtomicInteger();

    /** A target failing its first {@code failures} calls. */
    private UsageTarget failingFirst(int failures) {
        return events -> {
            int call = calls.incrementAndGet();
            if (call <= failures) {
                throw new IllegalStateException("database down (" + call + ")");
            }
            return WriterFixture.allStored(events);
        };
    }

    private BatchWriter writer(UsageTarget target, int maxRetries) {
        return new BatchWriter(new BatchingUsageWriter.Builder(target, null).maxRetries(maxRetries)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2)), metrics);
    }

    @Test
    void aFailedAttemptIsRetriedWithinTheRound() {
        UsageTarget.Written written = writer(failingFirst(2), 5).write(List.of(event("a")));
        assertThat(written.newRows()).isEqualTo(1);
        assertThat(calls).hasValue(3);
        assertThat(metrics.get(WriterMetrics.Counter.FAILED_ATTEMPTS)).isEqualTo(2);
    }

    @Test
    void aRoundThatKeepsFailingThrowsTheLastFailure() {
        BatchWriter writer = writer(failingFirst(100), 2);
        assertThatThrownBy(() -> writer.write(List.of(event("a"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("database down (3)");
        assertThat(calls).hasValue(3);
        assertThat(metrics.get(WriterMetrics.Counter.FAILED_ATTEMPTS)).isEqualTo(3);
    }

    @Test
    void withoutRetriesARoundIsOneAttempt() {
        BatchWriter writer = writer(failingFirst(1), 0);
        assertThatThrownBy(() -> writer.write(List.of(event("a")))).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
        assertThat(writer.write(List.of(event("a"))).newRows()).isEqualTo(1);
    }
}
