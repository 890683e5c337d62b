package dev.quota.core;

import dev.quota.core.spi.UsageSink.Outcome;
import dev.quota.core.spi.UsageSink.Progress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event on its way through a {@link BatchingUsageWriter}: its {@link Progress}, the synchronous caller
 * waiting for it (if any) and its place in the order. Each callback runs at most once and a failing one is
 * logged, never thrown: one caller's bug must not stop the writer.
 */
final class PendingUsage {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    final UsageEvent event;
    final Progress progress;
    /** Completed when the event settles; null for an asynchronous hand-over. */
    private final CompletableFuture<Outcome> waiter;
    /** The order in which events were queued; set by the buffer, under its lock. */
    long seq;
    private volatile boolean committingTold;

    private PendingUsage(UsageEvent event, Progress progress, CompletableFuture<Outcome> waiter) {
        this.event = Objects.requireNonNull(event, "event");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.waiter = waiter;
    }

    /** An event handed over with {@code submit}: nobody waits for it. */
    static PendingUsage async(UsageEvent event, Progress progress) {
        return new PendingUsage(event, progress, null);
    }

    /** An event given to {@code store}: its caller waits in {@link #await()}. */
    static PendingUsage sync(UsageEvent event, Progress progress) {
        return new PendingUsage(event, progress, new CompletableFuture<>());
    }

    /** @return whether a caller waits for this event (it is then never retried after a failed round) */
    boolean synchronous() {
        return waiter != null;
    }

    /** Tells the progress, once, that a transaction that may store the event begins. */
    void tellCommitting() {
        if (!committingTold) {
            committingTold = true;
            safely(progress::committing);
        }
    }

    /**
     * Tells the progress (and the waiting caller) the event's outcome.
     *
     * @param outcome what became of the event
     * @param error the store's error, for {@link Outcome#REJECTED}
     * @param failure thrown to a waiting caller of an {@link Outcome#ABANDONED} event
     */
    void settle(Outcome outcome, String error, BackendUnavailableException failure) {
        if (outcome == Outcome.REJECTED) {
            safely(() -> progress.rejected(error));
        }
        safely(() -> progress.settled(outcome));
        if (waiter != null) {
            if (outcome == Outcome.ABANDONED) {
                waiter.completeExceptionally(failure);
            } else {
                waiter.complete(outcome);
            }
        }
    }

    /**
     * Waits for a synchronous event to settle, uninterruptibly: its batch is on its way and cannot be withdrawn
     * (an interrupt is kept for the caller).
     *
     * @return the outcome
     * @throws BackendUnavailableException when the event was abandoned
     */
    Outcome await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return waiter.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof BackendUnavailableException bue ? bue
                            : new BackendUnavailableException("usage event " + event.requestId() + " was not stored",
                                    cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs a caller's callback, logging what it throws. */
    static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException callbackFailure) {
            LOG.error("A usage callback failed", callbackFailure);
        }
    }
}
