package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The writer's builder: every setter validates at once, chains keep the nested type, build checks the sizes. */
class BatchingUsageWriterBuilderTest {

    private static BatchingUsageWriter.Builder builder() {
        return new BatchingUsageWriter.Builder(WriterFixture::allStored, null);
    }

    @Test
    void settersRefuseBadValuesAtOnce() {
        assertThatThrownBy(() -> builder().capacity(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().linger(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().threads(65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().retryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().failedBatchDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().closeTimeout(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().maxSubmitWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().onAbandoned(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder().threadName(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchLargerThanTheBufferIsRefusedAtBuild() {
        assertThatThrownBy(() -> builder().capacity(10).batchSize(11).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not exceed capacity");
    }

    @Test
    void chainedSettersKeepTheNestedTypeAndRecordTheirValues() {
        BatchingUsageWriter.Builder b = builder().capacity(20).batchSize(5).linger(Duration.ofMillis(7))
                .maxRetries(0).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .failedBatchDelay(Duration.ZERO, Duration.ZERO).closeTimeout(Duration.ofSeconds(3))
                .maxSubmitWait(null).threadName("billing-writer");
        assertThat(b.capacity).isEqualTo(20);
        assertThat(b.batchSize).isEqualTo(5);
        assertThat(b.linger).isEqualTo(Duration.ofMillis(7));
        assertThat(b.maxRetries).isZero();
        assertThat(b.failedBatchDelayMax).isZero();
        assertThat(b.closeTimeout).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.maxSubmitWait).isNull();
        assertThat(b.threadName).isEqualTo("billing-writer");
    }
}
