package dev.quota.core;

import dev.quota.core.spi.UsageSink;
import java.util.concurrent.atomic.AtomicBoolean;

/** The rule that a {@link UsageSink.Slot} is used once: the first use passes, any other throws. Thread-safe. */
final class SlotUse {

    private final AtomicBoolean used = new AtomicBoolean();

    /** @throws IllegalStateException when the slot was used already */
    void take() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this slot was used already");
        }
    }
}
