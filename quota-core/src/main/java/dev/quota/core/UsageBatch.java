package dev.quota.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A batch taken from a {@link BatchingUsageWriter}'s queue; keeps its identity across retry rounds. Its round
 * fields are guarded by the buffer's lock; its entries belong to the worker writing it.
 */
final class UsageBatch {
    final List<PendingUsage> entries;
    /** Rounds of retries failed so far. */
    int rounds;
    /** When the next round is due ({@link System#nanoTime()} scale). */
    long dueNanos;
    /** Flush tickets issued when the current round began (a later flush waits for the next round). */
    long ticketsAtStart;
    /** Whether a round was tried since the writer began closing. */
    boolean triedSinceClose;

    UsageBatch(List<PendingUsage> entries) {
        this.entries = entries;
    }

    /** @return the lowest queue position in the batch ({@link Long#MAX_VALUE} when empty) */
    long minSeq() {
        long min = Long.MAX_VALUE;
        for (PendingUsage e : entries) {
            min = Math.min(min, e.seq);
        }
        return min;
    }

    /** @return the events, in order */
    List<UsageEvent> events() {
        List<UsageEvent> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.event));
        return out;
    }

    /** Tells every event, once, that a transaction that may store it begins. */
    void tellCommitting() {
        entries.forEach(PendingUsage::tellCommitting);
    }

    /** @return the events a caller waits for, taken out of the batch (they are answered, never tried again) */
    List<PendingUsage> takeSynchronous() {
        List<PendingUsage> out = new ArrayList<>();
        for (Iterator<PendingUsage> it = entries.iterator(); it.hasNext(); ) {
            PendingUsage entry = it.next();
            if (entry.synchronous()) {
                it.remove();
                out.add(entry);
            }
        }
        return out;
    }
}
