package dev.quota.core;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.UsageSink;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A bounded, batching {@link UsageSink}: the request path reserves a place with {@link #reserve()} and hands
 * events over through the {@link UsageSink.Slot}; background threads write them in batches with
 * {@link UsageLedger#store} (log and counters, per-event outcomes: the usual choice) or to a plain
 * {@link UsageLog} ({@link UsageLog#appendAll}). It is written against the ports only, so it works in front of
 * any implementation.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Room first, nothing dropped silently.</b> The buffer holds at most {@code capacity} events that are
 *       reserved, queued or being written (failed batches included). {@link #reserve()} blocks while it is full
 *       (back-pressure), or, with a {@linkplain BatchingUsageWriterBuilder#maxSubmitWait maximum wait}, throws
 *       {@link BackendUnavailableException} with nothing taken. Once a slot is had, handing the event over
 *       never blocks or fails, so a caller can change other state between the two steps and stay
 *       all-or-nothing.</li>
 *   <li><b>Per-event outcomes; poison never blocks others.</b> Every event settles with its own
 *       {@link UsageSink.Outcome}: stored, duplicate, rejected (bad data, moved to the dead letters by the
 *       ledger, counted in {@link #rejected()} and told to its {@link UsageSink.Progress}) or abandoned. A
 *       rejected event never makes a batch be retried.</li>
 *   <li><b>Infrastructure failures are retried.</b> A batch whose write throws is retried under a Failsafe
 *       policy with exponential backoff; one that still fails stays buffered and is tried again in later rounds
 *       (the delay doubles up to {@linkplain BatchingUsageWriterBuilder#failedBatchDelay a maximum}) for as long
 *       as the writer runs. Every failed attempt is counted in {@link #failedAttempts()}.</li>
 *   <li><b>Group commit.</b> {@link UsageSink.Slot#store} puts the event in the next batch, which is written
 *       without lingering, and returns once that batch committed. When that batch fails a whole round of
 *       retries, the event is taken out of it ({@link UsageSink.Outcome#ABANDONED}: this writer never stores
 *       it) and the call throws {@link BackendUnavailableException}; the rest of the batch is retried.</li>
 *   <li><b>One thread per user.</b> Events are split among the {@linkplain BatchingUsageWriterBuilder#threads
 *       worker threads} by user: every event of a user is written by the same thread, in the order handed over
 *       (a batch that failed a round is retried by any free thread). Batches written in parallel never update
 *       the same user's counter rows, so they do not wait on each other's row locks.</li>
 *   <li><b>Exactly once.</b> Retried batches may be written twice from the writer's point of view; ledgers are
 *       idempotent by {@link dev.quota.core.usage.UsageKey}, so a retried event is stored (and charged) once.</li>
 *   <li><b>{@link #flush()} and {@link #close()}</b> write everything buffered. {@code close()} keeps retrying
 *       failed batches until {@linkplain BatchingUsageWriterBuilder#closeTimeout the close timeout} (every batch
 *       gets at least one more round); what still fails then is <em>abandoned</em>: counted in
 *       {@link #abandoned()}, logged at ERROR with its request ids and handed to the
 *       {@linkplain BatchingUsageWriterBuilder#onAbandoned abandon handler}.</li>
 * </ul>
 *
 * <h2>Window</h2>
 * An event handed over with {@link UsageSink.Slot#submit} lives only in this process until its batch commits
 * (at most {@linkplain BatchingUsageWriterBuilder#linger the linger time} plus one write when the store is
 * healthy): a crash in that window loses this copy. The billing gate covers that window with the cache's outbox.
 *
 * <p>{@code submitted() == written() + abandoned() + pending() - reserved slots} at all times. The linger
 * timer uses the monotonic {@link System#nanoTime()}; it only decides when a partial batch is written. Worker
 * threads are daemon threads: call {@link #close()} on shutdown. Thread-safe.
 */
public final class BatchingUsageWriter implements UsageSink {

    // The parts, by job (package-private, each with its own unit test): UsageBuffer holds the room (BufferRoom),
    // the queue, the failed batches (RetryRounds), the waiting flushes (FlushTickets) and the closing state,
    // and picks each worker's next batch; UsageWorkers runs the threads; BatchWriter writes one round with
    // Failsafe retries into a UsageTarget (ledger or log); BatchSettler settles each event however its batch
    // ended (LedgerOutcomes, PendingUsage); WriterSlot is a reserved place; WriterMetrics the counters.

    /** The ledger's clock and business zone, or null for a log-only writer. */
    private final QuotaTime time;
    private final WriterMetrics metrics = new WriterMetrics();
    private final UsageBuffer buffer;
    private final BatchSettler settler;
    private final UsageWorkers workers;

    BatchingUsageWriter(BatchingUsageWriterBuilder<?> b) {
        this.time = b.time;
        this.buffer = new UsageBuffer(b, metrics, System::nanoTime);
        this.settler = new BatchSettler(buffer, metrics, b.onAbandoned);
        this.workers = new UsageWorkers(b.threadName, buffer, new BatchWriter(b, metrics), settler);
        workers.start();
    }

    /**
     * A writer that stores each batch with {@link UsageLedger#store} (the log and every counter the events
     * touch, once per {@link dev.quota.core.usage.UsageKey}, with an outcome per event): the sink a
     * {@code BillingGate} records into.
     *
     * @param ledger the ledger (usually {@code JdbcQuota.ledger()} in quota-jdbc, but any implementation works)
     * @param clock the clock giving {@code now} for the window math, read when a batch is written
     * @param zone the business zone
     * @return a builder with the defaults documented on each setter
     */
    public static Builder builder(UsageLedger ledger, Clock clock, ZoneId zone) {
        return builder(ledger, new QuotaTime(clock, zone));
    }

    /**
     * The same as {@link #builder(UsageLedger, Clock, ZoneId)} with the deployment's one clock and business zone.
     *
     * @param ledger the ledger (usually {@code JdbcQuota.ledger()} in quota-jdbc, but any implementation works)
     * @param time the clock giving {@code now} for the window math (read when a batch is written) and the business
     *             zone; a gate given this writer inherits both unless it sets its own
     * @return a builder with the defaults documented on each setter
     */
    public static Builder builder(UsageLedger ledger, QuotaTime time) {
        return new Builder(UsageTarget.ledger(ledger, time), time);
    }

    /**
     * A writer that only appends to a {@link UsageLog} (when counters are maintained elsewhere, or for an
     * audit copy of the ledger). A log cannot tell which events of a batch it held already, so every event
     * of a written batch settles as {@link Outcome#STORED} ({@link #newlyStored()} still counts new rows only).
     *
     * @param log the log (usually {@code JdbcQuota.usageLog()} in quota-jdbc, but any implementation works)
     * @return a builder with the defaults documented on each setter
     */
    public static Builder builder(UsageLog log) {
        return new Builder(UsageTarget.log(log), null);
    }

    /** @return the ledger's clock and business zone (the ones its windows roll with); empty for a log-only writer */
    @Override
    public Optional<QuotaTime> time() {
        return Optional.ofNullable(time);
    }

    /**
     * Reserves a place in the buffer, blocking while it is full (up to the
     * {@linkplain BatchingUsageWriterBuilder#maxSubmitWait maximum wait}).
     *
     * @throws IllegalStateException after {@link #close()} (also when the writer is closed while waiting)
     * @throws BackendUnavailableException when the configured maximum wait passed, or the caller was
     *         interrupted while waiting (its interrupt flag is kept); nothing was taken
     */
    @Override
    public Slot reserve() {
        buffer.room().reserve();
        return new WriterSlot(buffer, settler);
    }

    /**
     * Writes everything handed over before this call without waiting for the linger time, and returns when it
     * is all settled (and the {@link Progress} of each event was told), or as soon as a write of some of it
     * has failed after all retries (those events stay buffered and are retried later; see {@link #pending()}).
     */
    @Override
    public void flush() {
        buffer.flush();
    }

    /**
     * Stops taking events, writes everything buffered (retrying failures until the close timeout; see the
     * class description for what is abandoned then) and stops the worker threads. Slots reserved before are
     * still honoured until the close timeout. Idempotent; blocks until done.
     */
    @Override
    public void close() {
        buffer.beginClose();
        workers.awaitEnd();
    }

    /** @return events handed over through a slot */
    public long submitted() {
        return metrics.get(WriterMetrics.Counter.SUBMITTED);
    }

    /** @return events the ledger or log answered for: stored, duplicates and rejected */
    public long written() {
        return metrics.get(WriterMetrics.Counter.WRITTEN);
    }

    /** @return events the target reported as newly stored */
    public long newlyStored() {
        return metrics.get(WriterMetrics.Counter.NEWLY_STORED);
    }

    /** @return events the ledger already held (replays) */
    public long duplicates() {
        return metrics.get(WriterMetrics.Counter.DUPLICATES);
    }

    /** @return events the ledger refused as data (moved to its dead letters) */
    public long rejected() {
        return metrics.get(WriterMetrics.Counter.REJECTED);
    }

    /** @return failed write attempts, counting every retry */
    public long failedAttempts() {
        return metrics.get(WriterMetrics.Counter.FAILED_ATTEMPTS);
    }

    /** @return events given up on: at {@link #close()} after all retries, or failed synchronous stores */
    public long abandoned() {
        return metrics.get(WriterMetrics.Counter.ABANDONED);
    }

    /** @return events buffered and not yet settled, including events whose write is being retried */
    public long pending() {
        return buffer.room().pending();
    }

    /** @return callers currently blocked in {@link #reserve} because the buffer is full (back-pressure) */
    public int blockedSubmitters() {
        return buffer.room().blocked();
    }

    /**
     * The builder the {@code builder(…)} factories return; its setters and
     * {@link BatchingUsageWriterBuilder#build() build()} are documented on {@link BatchingUsageWriterBuilder}.
     * Not thread-safe.
     */
    public static final class Builder extends BatchingUsageWriterBuilder<Builder> {
        Builder(UsageTarget target, QuotaTime time) {
            super(target, time);
        }
    }
}
