package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.WriterMetrics.Counter;
import org.junit.jupiter.api.Test;

/** The writer's counters. */
class WriterMetricsTest {

    private final WriterMetrics m = new WriterMetrics();

    @Test
    void eachCounterAddsUpWhatItIsToldAndOnlyThat() {
        m.add(Counter.SUBMITTED, 1);
        m.add(Counter.SUBMITTED, 2);
        m.add(Counter.ABANDONED, 4);
        assertThat(m.get(Counter.SUBMITTED)).isEqualTo(3);
        assertThat(m.get(Counter.ABANDONED)).isEqualTo(4);
        assertThat(m.get(Counter.FAILED_ATTEMPTS)).isZero();
    }

    @Test
    void aWrittenBatchMovesItsFourCounters() {
        m.written(5, 3, 1, 1);
        m.written(2, 2, 0, 0);
        assertThat(m.get(Counter.WRITTEN)).isEqualTo(7);
        assertThat(m.get(Counter.NEWLY_STORED)).isEqualTo(5);
        assertThat(m.get(Counter.DUPLICATES)).isEqualTo(1);
        assertThat(m.get(Counter.REJECTED)).isEqualTo(1);
        assertThat(m.get(Counter.SUBMITTED)).isZero();
    }
}
