package dev.quota.testkit.gate;

import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import java.util.ArrayList;
import java.util.List;

/** A sink whose writes lag until {@link #catchUp()}: events and their settle callbacks are held. */
final class HeldSink implements UsageSink {

    private final UsageSink store;
    private final List<UsageEvent> held = new ArrayList<>();
    private final List<Runnable> callbacks = new ArrayList<>();

    HeldSink(UsageSink store) {
        this.store = store;
    }

    @Override
    public void submit(UsageEvent event) {
        submit(event, () -> { });
    }

    @Override
    public synchronized void submit(UsageEvent event, Runnable onSettled) {
        held.add(event);
        callbacks.add(onSettled);
    }

    /** Stores every held event and settles it. */
    synchronized void catchUp() {
        held.forEach(store::submit);
        callbacks.forEach(Runnable::run);
        held.clear();
        callbacks.clear();
    }

    @Override
    public void flush() {
        // lagging: only catchUp() writes
    }

    @Override
    public void close() {
        catchUp();
    }
}
