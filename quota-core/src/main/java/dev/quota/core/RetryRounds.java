package dev.quota.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Batches that failed a whole round of retries, each waiting for its next round: the wait starts at the
 * {@linkplain BatchingUsageWriterBuilder#failedBatchDelay failed batch delay}, doubles per round up to its
 * maximum, and never runs past the close deadline. Times are {@link System#nanoTime()} values handed in by the
 * caller. Not thread-safe: guarded by the buffer's lock.
 */
final class RetryRounds {

    private final ArrayDeque<UsageBatch> waiting = new ArrayDeque<>();
    private final long delayNanos;
    private final long maxDelayNanos;

    RetryRounds(Duration delay, Duration maxDelay) {
        this.delayNanos = delay.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
    }

    /**
     * @param rounds rounds failed so far, at least one
     * @return the wait before the next round
     */
    long delayAfter(int rounds) {
        long delay = delayNanos;
        for (int i = 1; i < rounds && delay < maxDelayNanos; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayNanos);
    }

    /**
     * Puts a batch that failed a round (its {@code rounds} counted already) in line for its next one.
     *
     * @param batch the batch
     * @param now the current time
     * @param closeDeadline the close deadline, or null while the writer is not closing
     */
    void schedule(UsageBatch batch, long now, Long closeDeadline) {
        batch.dueNanos = now + delayAfter(batch.rounds);
        if (closeDeadline != null && batch.dueNanos - closeDeadline > 0) {
            batch.dueNanos = closeDeadline;
        }
        waiting.addLast(batch);
    }

    /** @param now makes every waiting batch due at once (one more round for each at close) */
    void allDue(long now) {
        waiting.forEach(b -> b.dueNanos = now);
    }

    /**
     * @param now the current time
     * @param any take the first batch even when it is not due (a flush is waiting)
     * @return the first due batch, taken out of line, or null
     */
    UsageBatch takeDue(long now, boolean any) {
        for (Iterator<UsageBatch> it = waiting.iterator(); it.hasNext(); ) {
            UsageBatch b = it.next();
            if (any || b.dueNanos - now <= 0) {
                it.remove();
                return b;
            }
        }
        return null;
    }

    /**
     * @param now the current time
     * @return nanoseconds until the next batch is due, {@link Long#MAX_VALUE} when none waits
     */
    long nextDueIn(long now) {
        long next = Long.MAX_VALUE;
        for (UsageBatch b : waiting) {
            next = Math.min(next, b.dueNanos - now);
        }
        return next;
    }

    /** @return whether no batch waits */
    boolean isEmpty() {
        return waiting.isEmpty();
    }
}
