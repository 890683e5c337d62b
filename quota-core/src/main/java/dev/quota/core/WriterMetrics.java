package dev.quota.core;

import java.util.concurrent.atomic.AtomicLong;

/** The counters a {@link BatchingUsageWriter} reports; see its accessors for each meaning. Thread-safe. */
final class WriterMetrics {
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong newlyStored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /** One event was handed over through a slot. */
    void submitted() {
        submitted.incrementAndGet();
    }

    /**
     * A batch was written.
     *
     * @param events the events the target answered for
     * @param newRows the rows it reported new
     * @param duplicates the events it held already
     * @param rejected the events it refused as data
     */
    void written(int events, long newRows, long duplicates, long rejected) {
        written.addAndGet(events);
        newlyStored.addAndGet(newRows);
        this.duplicates.addAndGet(duplicates);
        this.rejected.addAndGet(rejected);
    }

    /** One write attempt failed. */
    void failedAttempt() {
        failedAttempts.incrementAndGet();
    }

    /** @param events events given up on */
    void abandoned(int events) {
        abandoned.addAndGet(events);
    }

    long submittedCount() {
        return submitted.get();
    }

    long writtenCount() {
        return written.get();
    }

    long newlyStoredCount() {
        return newlyStored.get();
    }

    long duplicateCount() {
        return duplicates.get();
    }

    long rejectedCount() {
        return rejected.get();
    }

    long failedAttemptCount() {
        return failedAttempts.get();
    }

    long abandonedCount() {
        return abandoned.get();
    }
}
