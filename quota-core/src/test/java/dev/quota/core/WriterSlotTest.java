package dev.quota.core;

import static dev.quota.core.WriterFixture.config;
import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageSink.Progress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A reserved place: used once, given back by cancel, and a hand-over after the writer stopped is abandoned. */
class WriterSlotTest {

    private final WriterFixture fx = new WriterFixture();
    private final List<List<UsageEvent>> handedOver = new CopyOnWriteArrayList<>();

    private WriterSlot reserve(UsageBuffer buffer) {
        buffer.room().reserve();
        return new WriterSlot(buffer, new BatchSettler(buffer, fx.metrics, handedOver::add));
    }

    @Test
    void aSlotIsUsedOnce() {
        UsageBuffer buffer = fx.buffer(config());
        WriterSlot slot = reserve(buffer);
        slot.submit(event("a"), Progress.NONE);
        assertThatThrownBy(slot::cancel).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> slot.submit(event("b"), Progress.NONE)).isInstanceOf(IllegalStateException.class);
        assertThat(buffer.room().pending()).isEqualTo(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.SUBMITTED)).isEqualTo(1);
    }

    @Test
    void aNullIsRefusedWithoutUsingTheSlot() {
        UsageBuffer buffer = fx.buffer(config());
        WriterSlot slot = reserve(buffer);
        assertThatThrownBy(() -> slot.submit(null, Progress.NONE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> slot.store(event("a"), null)).isInstanceOf(NullPointerException.class);
        slot.submit(event("a"), Progress.NONE);
        assertThat(buffer.room().pending()).isEqualTo(1);
    }

    @Test
    void cancellingGivesThePlaceBack() {
        UsageBuffer buffer = fx.buffer(config().capacity(1).batchSize(1).maxSubmitWait(Duration.ZERO));
        reserve(buffer).cancel();
        reserve(buffer);
        assertThat(buffer.room().openSlots()).isEqualTo(1);
    }

    @Test
    void aStoreAfterTheWriterStoppedThrowsAndHandsTheEventOver() {
        UsageBuffer buffer = fx.buffer(config().closeTimeout(Duration.ZERO));
        WriterSlot slot = reserve(buffer);
        buffer.beginClose();
        assertThat(buffer.select(0, 0, 0).stop()).isTrue();
        UsageEvent late = event("late");
        assertThatThrownBy(() -> slot.store(late, Progress.NONE)).isInstanceOf(BackendUnavailableException.class);
        assertThat(handedOver).containsExactly(List.of(late));
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
        assertThat(buffer.room().pending()).isZero();
    }
}
