package dev.quota.core;

import java.util.concurrent.atomic.AtomicLongArray;

/** The counters a {@link BatchingUsageWriter} reports; see its accessors for each meaning. Thread-safe. */
final class WriterMetrics {

    /** One counter each. */
    enum Counter {
        SUBMITTED, WRITTEN, NEWLY_STORED, DUPLICATES, REJECTED, FAILED_ATTEMPTS, ABANDONED
    }

    private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);

    /**
     * @param counter the counter
     * @param n how much to add
     */
    void add(Counter counter, long n) {
        counts.addAndGet(counter.ordinal(), n);
    }

    /**
     * @param counter the counter
     * @return its value
     */
    long get(Counter counter) {
        return counts.get(counter.ordinal());
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
        add(Counter.WRITTEN, events);
        add(Counter.NEWLY_STORED, newRows);
        add(Counter.DUPLICATES, duplicates);
        add(Counter.REJECTED, rejected);
    }
}
