package dev.quota.testkit.gate;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.UsageEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink whose writes lag until {@link #catchUp()}: events handed over are held with their progress; a
 * synchronous store goes through at once. {@link #refuseNextReserve()} makes the next reservation fail as a full
 * buffer would.
 */
final class HeldSink implements UsageSink {

    private final UsageSink store;
    private final List<UsageEvent> held = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();
    private boolean refuseNext;

    HeldSink(UsageSink store) {
        this.store = store;
    }

    /** Makes the next {@link #reserve()} throw {@link BackendUnavailableException}, as a full buffer does. */
    synchronized void refuseNextReserve() {
        refuseNext = true;
    }

    @Override
    public synchronized Slot reserve() {
        if (refuseNext) {
            refuseNext = false;
            throw new BackendUnavailableException("usage buffer full");
        }
        return new Slot() {
            @Override
            public void submit(UsageEvent event, Progress p) {
                synchronized (HeldSink.this) {
                    held.add(event);
                    progress.add(p);
                }
            }

            @Override
            public Outcome store(UsageEvent event, Progress p) {
                return store.reserve().store(event, p);
            }

            @Override
            public void cancel() {
                // nothing was taken
            }
        };
    }

    /** Stores every held event and settles it. */
    synchronized void catchUp() {
        for (int i = 0; i < held.size(); i++) {
            progress.get(i).committing();
            progress.get(i).settled(store.store(held.get(i)));
        }
        held.clear();
        progress.clear();
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
