package dev.quota.core;

import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** A place reserved in a {@link BatchingUsageWriter}'s buffer; see {@link UsageSink.Slot}. Thread-safe. */
final class WriterSlot implements UsageSink.Slot {

    private final UsageBuffer buffer;
    private final BatchSettler settler;
    private final AtomicBoolean used = new AtomicBoolean();

    /** Call after {@link BufferRoom#reserve()} succeeded. */
    WriterSlot(UsageBuffer buffer, BatchSettler settler) {
        this.buffer = buffer;
        this.settler = settler;
    }

    @Override
    public void submit(UsageEvent event, UsageSink.Progress progress) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(progress, "progress");
        use();
        hand(PendingUsage.async(event, progress));
    }

    @Override
    public UsageSink.Outcome store(UsageEvent event, UsageSink.Progress progress) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(progress, "progress");
        use();
        PendingUsage pending = PendingUsage.sync(event, progress);
        hand(pending);
        return pending.await();
    }

    @Override
    public void cancel() {
        use();
        buffer.cancel();
    }

    private void use() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this slot was used already");
        }
    }

    private void hand(PendingUsage pending) {
        if (!buffer.enqueue(pending)) {
            settler.late(pending);
        }
    }
}
