package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The writer's counters. */
class WriterMetricsTest {

    @Test
    void eachCounterAddsUpWhatItIsTold() {
        WriterMetrics m = new WriterMetrics();
        m.submitted();
        m.submitted();
        m.written(5, 3, 1, 1);
        m.written(2, 2, 0, 0);
        m.failedAttempt();
        m.abandoned(4);
        assertThat(m.submittedCount()).isEqualTo(2);
        assertThat(m.writtenCount()).isEqualTo(7);
        assertThat(m.newlyStoredCount()).isEqualTo(5);
        assertThat(m.duplicateCount()).isEqualTo(1);
        assertThat(m.rejectedCount()).isEqualTo(1);
        assertThat(m.failedAttemptCount()).isEqualTo(1);
        assertThat(m.abandonedCount()).isEqualTo(4);
    }
}
