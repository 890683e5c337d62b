package dev.quota.core;

import static dev.quota.core.WriterFixture.config;
import static dev.quota.core.WriterFixture.event;
import static dev.quota.core.WriterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.LedgerResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Settling a batch: an outcome per event, poison never retried, failures answered, abandoned events handed over. */
class BatchSettlerTest {

    private final WriterFixture fx = new WriterFixture();
    private final List<List<UsageEvent>> handedOver = new CopyOnWriteArrayList<>();

    private BatchSettler settler(UsageBuffer buffer) {
        return new BatchSettler(buffer, fx.metrics, handedOver::add);
    }

    @Test
    void eachEventSettlesWithItsOwnOutcomeAndAPoisonEventIsCountedNotRetried() {
        UsageBuffer buffer = fx.buffer(config());
        ToldProgress storedTold = new ToldProgress();
        ToldProgress duplicateTold = new ToldProgress();
        ToldProgress rejectedTold = new ToldProgress();
        UsageEvent stored = queue(buffer, PendingUsage.async(event("a"), storedTold)).event;
        UsageEvent duplicate = queue(buffer, PendingUsage.async(event("b"), duplicateTold)).event;
        UsageEvent rejected = queue(buffer, PendingUsage.async(event("c"), rejectedTold)).event;
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        settler(buffer).written(batch, new UsageTarget.Written(new LedgerResult(List.of(stored), List.of(duplicate),
                List.of(new LedgerResult.RejectedUsage(rejected, "bad model"))), 1));
        assertThat(storedTold.calls).containsExactly("STORED");
        assertThat(duplicateTold.calls).containsExactly("DUPLICATE");
        assertThat(rejectedTold.calls).containsExactly("rejected: bad model", "REJECTED");
        assertThat(fx.metrics.get(WriterMetrics.Counter.WRITTEN)).isEqualTo(3);
        assertThat(fx.metrics.get(WriterMetrics.Counter.NEWLY_STORED)).isEqualTo(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.DUPLICATES)).isEqualTo(1);
        assertThat(fx.metrics.get(WriterMetrics.Counter.REJECTED)).isEqualTo(1);
        assertThat(buffer.room().pending()).isZero();
        assertThat(buffer.select(0, 0, 0).batch()).isNull();
    }

    @Test
    void aFailedRoundAnswersTheWaitingCallerAndKeepsTheRestBuffered() {
        UsageBuffer buffer = fx.buffer(config());
        ToldProgress keptTold = new ToldProgress();
        queue(buffer, PendingUsage.async(event("a"), keptTold));
        PendingUsage waiting = queue(buffer, PendingUsage.sync(event("b"), new ToldProgress()));
        UsageBatch batch = buffer.select(0, 0, 0).batch();
        settler(buffer).failed(batch, new IllegalStateException("database down\n\tat the driver"));
        assertThatThrownBy(waiting::await).isInstanceOf(BackendUnavailableException.class)
                .hasMessage("storing usage failed: java.lang.IllegalStateException: database down");
        assertThat(keptTold.calls).isEmpty();
        assertThat(buffer.room().pending()).isEqualTo(1);
        assertThat(handedOver).isEmpty();
    }

    @Test
    void anOutageIsPassedToTheWaitingCallerAsItIs() {
        UsageBuffer buffer = fx.buffer(config());
        PendingUsage waiting = queue(buffer, PendingUsage.sync(event("b"), new ToldProgress()));
        BackendUnavailableException outage = new BackendUnavailableException("pool exhausted");
        settler(buffer).failed(buffer.select(0, 0, 0).batch(), outage);
        assertThatThrownBy(waiting::await).isSameAs(outage);
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
    }

    @Test
    void atTheCloseDeadlineWhatStillFailsIsAbandonedAndHandedOver() {
        UsageBuffer buffer = fx.buffer(config().closeTimeout(Duration.ZERO));
        ToldProgress told = new ToldProgress();
        UsageEvent event = queue(buffer, PendingUsage.async(event("a"), told)).event;
        buffer.beginClose();
        BatchSettler settler = settler(buffer);
        settler.failed(buffer.select(0, 0, 0).batch(), new IllegalStateException("down"));
        assertThat(handedOver).isEmpty();
        settler.failed(buffer.select(0, 0, 0).batch(), new IllegalStateException("still down"));
        assertThat(told.calls).containsExactly("ABANDONED");
        assertThat(handedOver).containsExactly(List.of(event));
        assertThat(fx.metrics.get(WriterMetrics.Counter.ABANDONED)).isEqualTo(1);
        assertThat(buffer.select(0, 0, 0).stop()).isTrue();
    }

    @Test
    void aLateEventIsAbandonedAndHandedOver() {
        UsageBuffer buffer = fx.buffer(config());
        PendingUsage late = PendingUsage.sync(event("late"), new ToldProgress());
        settler(buffer).late(late);
        assertThatThrownBy(late::await).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("stopped");
        assertThat(handedOver).containsExactly(List.of(late.event));
    }
}
