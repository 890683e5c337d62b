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
 * ({@link BufferRoom}), one queue per worker, the batches waiting for another round ({@link RetryRounds}), the
 * waiting flushes ({@link FlushTickets}) and the closing state. It decides which batch a worker writes next
 * ({@link #select}); it never calls a ledger or a caller's callback. Times come from the given ticker
 * ({@link System#nanoTime()} in production). Thread-safe.
 *
 * <p>Events are queued by user ({@link #partitionOf}): every event of a user goes to the same worker's queue, in
 * the order handed over. So workers writing in parallel never write batches that update the same counter rows
 * (a user's balance, subscription, platform, API key and roll-up rows are all that user's), and a user's
 * events reach the store in order. A batch that failed a round is retried by whichever worker is free.
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

    /** One worker's queue, its signal and the synchronous events in it; guarded by the buffer's lock. */
    private static final class Partition {
        final ArrayDeque<PendingUsage> queue = new ArrayDeque<>();
        /** This partition's worker may have something to do. */
        final Condition work;
        /** Queued events a synchronous caller waits for. */
        int urgent;

        Partition(Condition work) {
            this.work = work;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Events were settled or a batch failed a round: a flush may return. */
    private final Condition progress = lock.newCondition();
    private final LongSupplier ticker;
    private final WriterMetrics metrics;
    private final int batchSize;
    private final long lingerNanos;
    private final long closeTimeoutNanos;
    private final BufferRoom room;

    // Guarded by lock.
    private final Partition[] partitions;
    /** Queue positions of the events handed over and not settled yet. */
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final FlushTickets flushes = new FlushTickets();
    private final RetryRounds failed;
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
        this.partitions = new Partition[config.threads];
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = new Partition(lock.newCondition());
        }
    }

    /** @return the number of partitions: one per worker thread */
    int partitions() {
        return partitions.length;
    }

    /**
     * The partition of a user's events: a fixed function of the user id, so all of a user's events meet in one
     * queue, spread evenly over the partitions also when ids are sequential.
     *
     * @param userId the user
     * @param count the number of partitions
     * @return the partition, from 0 to {@code count - 1}
     */
    static int partitionOf(long userId, int count) {
        return Math.floorMod(Long.hashCode(userId * 0x9E3779B97F4A7C15L), count);
    }

    /** Wakes every worker: for what any of them may take (a flush, the close, a failed batch, a freed slot). */
    private void signalAllWorkers() {
        for (Partition p : partitions) {
            p.work.signalAll();
        }
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
            signalAllWorkers();
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
            Partition p = partitions[partitionOf(entry.event.userId(), partitions.length)];
            p.queue.addLast(entry);
            outstanding.add(entry.seq);
            if (entry.synchronous()) {
                p.urgent++;
                p.work.signal();
            } else if (p.queue.size() >= batchSize || p.queue.size() == 1) {
                p.work.signal();
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
            signalAllWorkers();
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
            signalAllWorkers();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param worker the worker's partition, from 0 to {@link #partitions()} - 1
     * @return the next batch for that worker, waiting as {@link #select} says; null when the writer has stopped
     */
    UsageBatch next(int worker) {
        Condition work = partitions[worker].work;
        lock.lock();
        try {
            long lingerDeadline = 0;
            while (true) {
                Step step = select(worker, ticker.getAsLong(), lingerDeadline);
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
     * the first {@code batchSize} events of the worker's queue when a batch is full, someone is in a hurry
     * (closing, a flush, a synchronous caller) or the linger time is up; else, when closing and nothing is left
     * for it or the close timeout passed, stop (and tell the other workers, which still write what their own
     * queues hold); else how long to wait.
     *
     * @param worker the worker's partition, from 0 to {@link #partitions()} - 1
     * @param now the ticker's time
     * @param lingerDeadline from the previous step, 0 at first
     * @return the step
     */
    Step select(int worker, long now, long lingerDeadline) {
        lock.lock();
        try {
            boolean flushing = flushes.anyOpen();
            UsageBatch due = failed.takeDue(now, flushing);
            if (due != null) {
                return Step.write(due);
            }
            long nextDue = failed.nextDueIn(now);
            Partition own = partitions[worker];
            if (!own.queue.isEmpty()) {
                if (own.queue.size() >= batchSize || closing || flushing || own.urgent > 0 || lingerNanos == 0) {
                    return Step.write(take(own));
                }
                long deadline = lingerDeadline == 0 ? now + lingerNanos : lingerDeadline;
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return Step.write(take(own));
                }
                return Step.await(Math.min(remaining, nextDue), deadline);
            }
            if (closing && failed.isEmpty()) {
                if (room.openSlots() == 0 || now - closeDeadline >= 0 || stopped) {
                    stopped = true;
                    signalAllWorkers(); // let the other workers see the end too
                    return Step.STOP;
                }
                nextDue = Math.min(nextDue, closeDeadline - now); // wait for reserved slots to be used
            }
            return Step.await(nextDue, 0);
        } finally {
            lock.unlock();
        }
    }

    private UsageBatch take(Partition p) {
        List<PendingUsage> entries = new ArrayList<>(Math.min(batchSize, p.queue.size()));
        while (entries.size() < batchSize && !p.queue.isEmpty()) {
            PendingUsage e = p.queue.pollFirst();
            if (e.synchronous()) {
                p.urgent--;
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
                signalAllWorkers();
            }
            return new FailedRound(synchronous, List.of(), batch.entries.size(), batch.rounds);
        } finally {
            lock.unlock();
        }
    }
}
