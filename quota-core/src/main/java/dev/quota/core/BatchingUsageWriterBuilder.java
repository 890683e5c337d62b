package dev.quota.core;

import dev.quota.core.internal.Require;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builder of a {@link BatchingUsageWriter}, returned by its {@code builder(…)} factories as
 * {@link BatchingUsageWriter.Builder}; every setter validates its argument at once, and {@link #build()} starts
 * the writer. The defaults are the field values below, documented on each setter. Not thread-safe.
 *
 * @param <B> the type the setters return: {@link BatchingUsageWriter.Builder}, the single subclass (so chains keep
 *            its name)
 */
public abstract sealed class BatchingUsageWriterBuilder<B extends BatchingUsageWriterBuilder<B>>
        permits BatchingUsageWriter.Builder {
    final UsageTarget target;
    /** The ledger's clock and business zone, or null for a log-only writer. */
    final QuotaTime time;
    int capacity = 10_000;
    int batchSize = 1_000;
    Duration linger = Duration.ofMillis(200);
    int threads = 2;
    int maxRetries = 5;
    Duration retryDelay = Duration.ofMillis(100);
    Duration retryMaxDelay = Duration.ofSeconds(5);
    Duration failedBatchDelay = Duration.ofSeconds(1);
    Duration failedBatchDelayMax = Duration.ofMinutes(1);
    Duration closeTimeout = Duration.ofSeconds(30);
    /** Null: {@code reserve()} waits as long as needed. */
    Duration maxSubmitWait;
    Consumer<List<UsageEvent>> onAbandoned = events -> { };
    String threadName = "quota-usage-writer";

    BatchingUsageWriterBuilder(UsageTarget target, QuotaTime time) {
        this.target = Objects.requireNonNull(target, "target");
        this.time = time;
    }

    /**
     * @param events how many unstored events the buffer holds before {@link BatchingUsageWriter#reserve} blocks
     *               (default 10,000)
     * @return this
     * @throws IllegalArgumentException if not positive
     */
    public B capacity(int events) {
        this.capacity = positive(events, "capacity");
        return self();
    }

    /**
     * @param events the most events per write to the ledger or log (default 1,000: a batch has a fixed cost,
     *               the commit and a statement's set-up, which a bigger batch spreads over more events)
     * @return this
     * @throws IllegalArgumentException if not positive
     */
    public B batchSize(int events) {
        this.batchSize = positive(events, "batchSize");
        return self();
    }

    /**
     * @param linger how long a partial batch waits for more events before it is written (default 200 ms;
     *               zero writes at once)
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public B linger(Duration linger) {
        this.linger = notNegative(linger, "linger");
        return self();
    }

    /**
     * @param threads worker threads writing in parallel (default 2, at most 64). Events are split among them by
     *                user: every event of a user is written by the same thread, in the order handed over, so
     *                batches written in parallel never update the same user's counter rows (without that split
     *                they waited on each other's row locks and two threads stored fewer events than one; with it,
     *                two stored 1.45 to 1.73 times the events per second of one on PostgreSQL: quota-bench
     *                RESULTS.md). The ledger stays exact whatever the interleaving.
     * @return this
     * @throws IllegalArgumentException if not between 1 and 64
     */
    public B threads(int threads) {
        this.threads = Require.between(threads, 1, 64, "threads");
        return self();
    }

    /**
     * @param retries retries of a failed write within one round (default 5; 0 = one attempt per round)
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public B maxRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + retries);
        }
        this.maxRetries = retries;
        return self();
    }

    /**
     * @param initial the delay before the first retry, doubled for each further one (default 100 ms)
     * @param max the longest delay between retries (default 5 s)
     * @return this
     * @throws IllegalArgumentException if a delay is not positive or {@code max < initial}
     */
    public B retryBackoff(Duration initial, Duration max) {
        Require.positive(initial, "initial retry delay");
        Require.positive(max, "max retry delay");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max retry delay must not be shorter than the initial delay");
        }
        this.retryDelay = initial;
        this.retryMaxDelay = max;
        return self();
    }

    /**
     * @param initial how long a batch that failed a whole round waits before the next round, doubled per
     *                round (default 1 s; zero retries at once)
     * @param max the longest wait between rounds (default 1 min)
     * @return this
     * @throws IllegalArgumentException if negative or {@code max < initial}
     */
    public B failedBatchDelay(Duration initial, Duration max) {
        notNegative(initial, "failed batch delay");
        notNegative(max, "max failed batch delay");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max failed batch delay must not be shorter than the initial delay");
        }
        this.failedBatchDelay = initial;
        this.failedBatchDelayMax = max;
        return self();
    }

    /**
     * @param timeout how long {@link BatchingUsageWriter#close()} keeps retrying failed batches before abandoning
     *                them; each gets at least one more round (default 30 s)
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public B closeTimeout(Duration timeout) {
        this.closeTimeout = notNegative(timeout, "closeTimeout");
        return self();
    }

    /**
     * @param wait the longest a {@link BatchingUsageWriter#reserve} waits for buffer space before throwing
     *             {@link BackendUnavailableException}; {@code null} (the default) waits as long as needed
     * @return this
     * @throws IllegalArgumentException if negative
     */
    public B maxSubmitWait(Duration wait) {
        this.maxSubmitWait = wait == null ? null : notNegative(wait, "maxSubmitWait");
        return self();
    }

    /**
     * @param handler receives the events abandoned at close (already logged at ERROR), e.g. to spool them
     *                to a file; default none
     * @return this
     */
    public B onAbandoned(Consumer<List<UsageEvent>> handler) {
        this.onAbandoned = Objects.requireNonNull(handler, "handler");
        return self();
    }

    /**
     * @param name the worker threads' name prefix (default {@code quota-usage-writer})
     * @return this
     * @throws IllegalArgumentException if blank
     */
    public B threadName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("threadName must not be blank");
        }
        this.threadName = name;
        return self();
    }

    /**
     * Starts the worker threads.
     *
     * @return the running writer
     * @throws IllegalArgumentException if {@code batchSize > capacity}
     */
    public BatchingUsageWriter build() {
        if (batchSize > capacity) {
            throw new IllegalArgumentException("batchSize (" + batchSize + ") must not exceed capacity ("
                    + capacity + ")");
        }
        return new BatchingUsageWriter(this);
    }

    private static int positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be positive: " + n);
        }
        return n;
    }

    private static Duration notNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be null or negative: " + d);
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
