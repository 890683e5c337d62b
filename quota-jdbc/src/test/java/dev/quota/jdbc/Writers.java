package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.UsageEvent;
import dev.quota.core.spi.UsageLog;
import java.time.Duration;
import java.util.List;

/** Batching writers for the tests: retries without waiting, and a bounded drain. */
final class Writers {

    private Writers() {
    }

    /** @return a writer builder over {@code log} that retries after 1 to 2 ms and never delays a failed batch */
    static BatchingUsageWriter.Builder fastRetries(UsageLog log) {
        return BatchingUsageWriter.builder(log).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .failedBatchDelay(Duration.ZERO, Duration.ZERO);
    }

    /** Submits {@code events}, then flushes until nothing is pending, {@code rounds} flushes at most. */
    static void submitAndDrain(BatchingUsageWriter writer, List<UsageEvent> events, int rounds) {
        events.forEach(writer::submit);
        for (int i = 0; i < rounds && writer.pending() > 0; i++) {
            writer.flush();
        }
    }

    /** Asserts that nothing is pending, {@code written} events were written and {@code failedAttempts} failed. */
    static void assertDrained(BatchingUsageWriter writer, long written, long failedAttempts) {
        assertThat(writer.pending()).isZero();
        assertThat(writer.written()).isEqualTo(written);
        assertThat(writer.failedAttempts()).isEqualTo(failedAttempts);
    }
}
