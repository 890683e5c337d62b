package dev.quota.core;

import dev.quota.core.spi.UsageSink;
import java.util.Objects;

/** A place reserved in a {@link BatchingUsageWriter}'s buffer; see {@link UsageSink.Slot}. Thread-safe. */
final class WriterSlot implements UsageSink.Slot {

    private final UsageBuffer buffer;
    private final BatchSettler settler;
    private final SlotUse use = new SlotUse();

    /** Call after {@link BufferRoom#reserve()} succeeded. */
    WriterSlot(UsageBuffer buffer, BatchSettler settler) {
        this.buffer = buffer;
        this.settler = settler;
    }

    @Override
    public void submit(UsageEvent event, UsageSink.Progress progress) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(progress, "progress");
        use.take();
        hand(PendingUsage.async(event, progress));
    }

    @Override
    public UsageSink.Outcome store(UsageEvent event, UsageSink.Progress progress) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(progress, "progress");
        use.take();
        PendingUsage pending = PendingUsage.sync(event, progress);
        hand(pending);
        return pending.await();
    }

    @Override
    public void cancel() {
        use.take();
        buffer.cancel();
    }

    private void hand(PendingUsage pending) {
        if (!buffer.enqueue(pending)) {
            settler.late(pending);
        }
    }
}
