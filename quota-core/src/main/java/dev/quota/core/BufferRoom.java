package dev.quota.core;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The room in a {@link BatchingUsageWriter}'s buffer: at most {@code capacity} places, each reserved, holding a
 * queued event or one being written (failed batches included). {@link #reserve()} blocks while the room is full,
 * up to the maximum wait, and refuses once the room is closed. Shares the buffer's lock. Thread-safe.
 */
final class BufferRoom {

    private final ReentrantLock lock;
    /** A place was freed, or the room closed. */
    private final Condition space;
    private final int capacity;
    /** Negative: wait as long as needed. */
    private final long maxWaitNanos;

    // Guarded by lock.
    /** Places taken: reserved, queued and in flight. */
    private long taken;
    /** Reserved places not used yet. */
    private long open;
    private int blocked;
    private boolean closed;

    /**
     * @param lock the buffer's lock
     * @param capacity the most places
     * @param maxWait the longest a {@link #reserve()} waits; null waits as long as needed
     */
    BufferRoom(ReentrantLock lock, int capacity, Duration maxWait) {
        this.lock = lock;
        this.space = lock.newCondition();
        this.capacity = capacity;
        this.maxWaitNanos = maxWait == null ? -1 : maxWait.toNanos();
    }

    /**
     * Takes a place, blocking while the room is full (up to the maximum wait).
     *
     * @throws IllegalStateException when the room is closed (also when it closed while waiting)
     * @throws BackendUnavailableException when the maximum wait passed or the caller was interrupted (its flag
     *         is kept); nothing was taken
     */
    void reserve() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the usage writer is closed");
            }
            long waitNanos = maxWaitNanos;
            while (taken >= capacity) {
                blocked++;
                try {
                    if (maxWaitNanos < 0) {
                        space.await();
                    } else {
                        if (waitNanos <= 0) {
                            throw new BackendUnavailableException("usage buffer full (" + capacity
                                    + " events) for longer than " + Duration.ofNanos(maxWaitNanos)
                                    + "; the event was not taken");
                        }
                        waitNanos = space.awaitNanos(waitNanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendUnavailableException("interrupted while waiting for usage buffer space; the event"
                            + " was not taken", e);
                } finally {
                    blocked--;
                }
                if (closed) {
                    throw new IllegalStateException("the usage writer was closed while waiting for buffer space");
                }
            }
            taken++;
            open++;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a reserved place back unused. */
    void cancel() {
        lock.lock();
        try {
            open--;
            taken--;
            space.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A reserved place now holds an event (queued, or refused as late and then {@linkplain #free freed}). */
    void use() {
        lock.lock();
        try {
            open--;
        } finally {
            lock.unlock();
        }
    }

    /** @param places places whose events were settled */
    void free(int places) {
        lock.lock();
        try {
            taken -= places;
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses further reservations and wakes the callers waiting for a place (they throw).
     *
     * @return whether this call closed the room (false when it was closed already)
     */
    boolean close() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            space.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the room is closed */
    boolean closed() {
        return read(() -> closed ? 1 : 0) == 1;
    }

    /** @return places holding events (reserved places not counted) */
    long pending() {
        return read(() -> taken - open);
    }

    /** @return reserved places not used yet */
    long openSlots() {
        return read(() -> open);
    }

    /** @return callers blocked in {@link #reserve()} because the room is full */
    int blocked() {
        return (int) read(() -> blocked);
    }

    private long read(LongSupplier value) {
        lock.lock();
        try {
            return value.getAsLong();
        } finally {
            lock.unlock();
        }
    }
}
