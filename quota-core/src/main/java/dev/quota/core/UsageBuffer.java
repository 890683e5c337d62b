package dev.quota.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A {@link BatchingUsageWriter}'s bounded buffer and the state its threads share, under one lock: the room
 * ({@link BufferRoom}), the queue, the batches waiting for another round ({@link RetryRounds}), the waiting
 * flushes ({@link FlushTickets}) and the closing state. It decides which batch a worker writes next
 * ({@link #select}); it never calls a ledger or a caller's callback. Times come from the given ticker
 * ({@link System#nanoTime()} in production). Thread-safe.
 */
final class UsageBuffer {

    /**
     * What a worker does next: write {@code batch}, stop, or wait up to {@code waitNanos} ({@link Long#MAX_VALUE}:
     * until signalled) keeping {@code lingerDeadline} (0: no partial batch lingers) for its next {@link #select}.
     */
    record Step(UsageBatch batch, boolean stop, long waitNanos, long lingerDeadline) {
        static final Step STOP = new Step(null, true, 0, 0);

        static Step write(UsageBatch batch) {
            return new Step(batch, false, 0, 0);
        }

        static Step await(long waitNanos, long lingerDeadline) {
            return new Step(null, false, waitNanos, lingerDeadline);
        }
    }

    /**
     * What a failed round took out of its batch: the synchronous events (answered now, never tried again) and,
     * at the close deadline, everything else; {@code retained} events stay for round {@code round + 1}.
     */
    record FailedRound(List<PendingUsage> synchronous, List<PendingUsage> abandoned, int retained, int round) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** A worker may have something to do. */
    private final Condition work = lock.newCondition();
    /** Events were settled or a batch failed a round: a flush may return. */
    private final Condition progress = lock.newCondition();
    private final LongSupplier ticker;
    private final WriterMetrics metrics;
    private final int batchSize;
    private final long lingerNanos;
    private final long closeTimeoutNanos;
    private final BufferRoom room;

    // Guarded by lock.
    private final ArrayDeque<PendingUsage> queue = new ArrayDeque<>();
    /** Queue positions of the events handed over and not settled yet. */
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final FlushTickets flushes = new FlushTickets();
    private final RetryRounds failed;
    /** Queued events a synchronous caller waits for. */
    private int urgent;
    private long sequence;
    private boolean closing;
    private boolean stopped;
    private long closeDeadline;

    UsageBuffer(BatchingUsageWriterBuilder<?> config, WriterMetrics metrics, LongSupplier ticker) {
        this.ticker = ticker;
        this.metrics = metrics;
        this.batchSize = config.batchSize;
        this.lingerNanos = config.linger.toNanos();
        this.closeTimeoutNanos = config.closeTimeout.toNanos();
        this.room = new BufferRoom(lock, config.capacity, config.maxSubmitWait);
        this.failed = new RetryRounds(config.failedBatchDelay, config.failedBatchDelayMax);
    }

    /** @return the room: reserve a place there before {@link #enqueue} */
    BufferRoom room() {
        return room;
    }

    /** Gives a reserved place back unused (a closing worker may wait for open slots). */
    void cancel() {
        lock.lock();
        try {
            room.cancel();
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues an event in a reserved place.
     *
     * @param entry the event; its queue position is set here
     * @return false when the writer had stopped already: the place is freed and the event counted abandoned (the
     *         caller settles it)
     */
    boolean enqueue(PendingUsage entry) {
        lock.lock();
        try {
            room.use();
            entry.seq = ++sequence;
            metrics.add(WriterMetrics.Counter.SUBMITTED, 1);
            if (stopped) {
                room.free(1);
                metrics.add(WriterMetrics.Counter.ABANDONED, 1);
                return false;
            }
            queue.addLast(entry);
            outstanding.add(entry.seq);
            if (entry.synchronous()) {
                urgent++;
                work.signal();
            } else if (queue.size() >= batchSize || queue.size() == 1) {
                work.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything queued before the call is settled, or a batch holding some of it failed a round. */
    void flush() {
        lock.lock();
        try {
            if (outstanding.isEmpty()) {
                return;
            }
            FlushTickets.Ticket ticket = flushes.issue(sequence);
            work.signalAll();
            try {
                while (ticket.waiting(outstanding.isEmpty() ? Long.MAX_VALUE : outstanding.first())) {
                    progress.awaitUninterruptibly();
                }
            } finally {
                flushes.retire(ticket);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking places, starts the close timeout and makes every failed batch due at once; idempotent. */
    void beginClose() {
        lock.lock();
        try {
            if (!room.close()) {
                return; // closing already
            }
            closing = true;
            long now = ticker.getAsLong();
            closeDeadline = now + closeTimeoutNanos;
            failed.allDue(now);
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the next batch for a worker, waiting as {@link #select} says; null when the writer has stopped */
    UsageBatch next() {
        lock.lock();
        try {
            long lingerDeadline = 0;
            while (true) {
                Step step = select(ticker.getAsLong(), lingerDeadline);
                if (step.batch() != null || step.stop()) {
                    return step.batch();
                }
                lingerDeadline = step.lingerDeadline();
                if (step.waitNanos() == Long.MAX_VALUE) {
                    work.awaitUninterruptibly();
                } else {
                    try {
                        work.awaitNanos(step.waitNanos());
                    } catch (InterruptedException e) {
                        Thread.interrupted(); // workers are only stopped through close(); an interrupt ends this wait
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One decision of a worker, without waiting: a failed batch that is due (any, while a flush waits); else
     * the queue's first {@code batchSize} events when a batch is full, someone is in a hurry (closing, a flush,
     * a synchronous caller) or the linger time is up; else, when closing and nothing is left or the close
     * timeout passed, stop (and tell the other workers); else how long to wait.
     *
     * @param now the ticker's time
     * @param lingerDeadline from the previous step, 0 at first
     * @return the step
     */
    Step select(long now, long lingerDeadline) {
        lock.lock();
        try {
            boolean flushing = flushes.anyOpen();
            UsageBatch due = failed.takeDue(now, flushing);
            if (due != null) {
                return Step.write(due);
            }
            long nextDue = failed.nextDueIn(now);
            if (!queue.isEmpty()) {
                if (queue.size() >= batchSize || closing || flushing || urgent > 0 || lingerNanos == 0) {
                    return Step.write(take());
                }
                long deadline = lingerDeadline == 0 ? now + lingerNanos : lingerDeadline;
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return Step.write(take());
                }
                return Step.await(Math.min(remaining, nextDue), deadline);
            }
            if (closing && failed.isEmpty()) {
                if (room.openSlots() == 0 || now - closeDeadline >= 0 || stopped) {
                    stopped = true;
                    work.signalAll(); // let the other workers see the end too
                    return Step.STOP;
                }
                nextDue = Math.min(nextDue, closeDeadline - now); // wait for reserved slots to be used
            }
            return Step.await(nextDue, 0);
        } finally {
            lock.unlock();
        }
    }

    private UsageBatch take() {
        List<PendingUsage> entries = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (entries.size() < batchSize && !queue.isEmpty()) {
            PendingUsage e = queue.pollFirst();
            if (e.synchronous()) {
                urgent--;
            }
            entries.add(e);
        }
        return new UsageBatch(entries);
    }

    /** @return flush tickets issued so far; a worker notes it on the batch before each round */
    long ticketsIssued() {
        lock.lock();
        try {
            return flushes.issued();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees the places of settled events.
     *
     * @param entries the events, already told their outcome (so a flush returns after the callbacks)
     * @param accounting counter updates made under the same lock, so {@link #pending()} agrees with them
     */
    void release(List<PendingUsage> entries, Runnable accounting) {
        lock.lock();
        try {
            accounting.run();
            releaseLocked(entries);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(List<PendingUsage> entries) {
        for (PendingUsage e : entries) {
            outstanding.remove(e.seq);
        }
        room.free(entries.size());
        progress.signalAll();
    }

    /**
     * A batch failed a whole round of retries: fails the flushes it holds up, frees its synchronous events, and
     * either puts it in line for another round or, when closing and it was tried since close and the close
     * timeout passed, abandons it. The caller settles what is returned.
     *
     * @param batch the batch
     * @return what was taken out of it
     */
    FailedRound failedRound(UsageBatch batch) {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            batch.rounds++;
            flushes.roundFailed(batch.minSeq(), batch.ticketsAtStart);
            List<PendingUsage> synchronous = batch.takeSynchronous();
            if (!synchronous.isEmpty()) {
                metrics.add(WriterMetrics.Counter.ABANDONED, synchronous.size());
                releaseLocked(synchronous);
            }
            if (batch.entries.isEmpty()) {
                progress.signalAll();
            } else if (closing && batch.triedSinceClose && now - closeDeadline >= 0) {
                List<PendingUsage> abandoned = List.copyOf(batch.entries);
                metrics.add(WriterMetrics.Counter.ABANDONED, abandoned.size());
                releaseLocked(abandoned);
                return new FailedRound(synchronous, abandoned, 0, batch.rounds);
            } else {
                batch.triedSinceClose = closing;
                failed.schedule(batch, now, closing ? closeDeadline : null);
                progress.signalAll();
                work.signal();
            }
            return new FailedRound(synchronous, List.of(), batch.entries.size(), batch.rounds);
        } finally {
            lock.unlock();
        }
    }
}
