package dev.quota.core;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.quota.core.decision.BackendUnavailableException;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *       (back-pressure), or, with a {@linkplain Builder#maxSubmitWait maximum wait}, throws
 *       {@link BackendUnavailableException} with nothing taken. Once a slot is had, handing the event over
 *       never blocks or fails, so a caller can change other state between the two steps and stay
 *       all-or-nothing.</li>
 *   <li><b>Per-event outcomes; poison never blocks others.</b> Every event settles with its own
 *       {@link UsageSink.Outcome}: stored, duplicate, rejected (bad data, moved to the dead letters by the
 *       ledger, counted in {@link #rejected()} and told to its {@link UsageSink.Progress}) or abandoned. A
 *       rejected event never makes a batch be retried.</li>
 *   <li><b>Infrastructure failures are retried.</b> A batch whose write throws is retried under a Failsafe
 *       policy with exponential backoff; one that still fails stays buffered and is tried again in later rounds
 *       (the delay doubles up to {@linkplain Builder#failedBatchDelay a maximum}) for as long as the writer runs.
 *       Every failed attempt is counted in {@link #failedAttempts()}.</li>
 *   <li><b>Group commit.</b> {@link UsageSink.Slot#store} puts the event in the next batch, which is written
 *       without lingering, and returns once that batch committed. When that batch fails a whole round of
 *       retries, the event is taken out of it ({@link UsageSink.Outcome#ABANDONED}: this writer never stores
 *       it) and the call throws {@link BackendUnavailableException}; the rest of the batch is retried.</li>
 *   <li><b>Exactly once.</b> Retried batches may be written twice from the writer's point of view; ledgers are
 *       idempotent by {@link dev.quota.core.usage.UsageKey}, so a retried event is stored (and charged) once.</li>
 *   <li><b>{@link #flush()} and {@link #close()}</b> write everything buffered. {@code close()} keeps retrying
 *       failed batches until {@linkplain Builder#closeTimeout the close timeout} (every batch gets at least one
 *       more round); what still fails then is <em>abandoned</em>: counted in {@link #abandoned()}, logged at
 *       ERROR with its request ids and handed to the {@linkplain Builder#onAbandoned abandon handler}.</li>
 * </ul>
 *
 * <h2>Window</h2>
 * An event handed over with {@link UsageSink.Slot#submit} lives only in this process until its batch commits
 * (at most {@linkplain Builder#linger the linger time} plus one write when the store is healthy): a crash in
 * that window loses this copy. The billing gate covers that window with the cache's outbox.
 *
 * <p>{@code submitted() == written() + abandoned() + pending() - reserved slots} at all times. The linger
 * timer uses the monotonic {@link System#nanoTime()}; it only decides when a partial batch is written. Worker
 * threads are daemon threads: call {@link #close()} on shutdown. Thread-safe.
 */
public final class BatchingUsageWriter implements UsageSink {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    private final Target target;
    /** The ledger's business zone, or null for a log-only writer. */
    private final ZoneId zone;
    private final int capacity;
    private final int batchSize;
    private final long lingerNanos;
    private final long failedDelayNanos;
    private final long failedDelayMaxNanos;
    private final long closeTimeoutNanos;
    private final long maxSubmitWaitNanos;
    private final Consumer<List<UsageEvent>> onAbandoned;
    private final FailsafeExecutor<Written> failsafe;
    private final List<Thread> workers = new ArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition space = lock.newCondition();
    private final Condition progress = lock.newCondition();

    // Guarded by lock.
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ArrayDeque<Batch> failed = new ArrayDeque<>();
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final List<FlushTicket> flushes = new ArrayList<>();
    /** Flush tickets issued so far (guarded by {@link #lock}). */
    private long ticketsIssued;
    /** Reserved places, queued and in-flight events. */
    private long buffered;
    /** Reserved places not used yet. */
    private long openSlots;
    /** Queued events a synchronous caller waits for. */
    private int urgent;
    private long sequence;
    private int blockedSubmitters;
    private boolean closing;
    private boolean stopped;
    private long closeDeadline;

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /** A synchronous caller's wait for its event. */
    private static final class Waiter {
        private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    }

    /** One event on its way; {@code waiter} is null for asynchronous hand-overs. */
    private static final class Entry {
        final long seq;
        final UsageEvent event;
        final Progress progress;
        final Waiter waiter;
        boolean committingTold;

        Entry(long seq, UsageEvent event, Progress progress, Waiter waiter) {
            this.seq = seq;
            this.event = event;
            this.progress = progress;
            this.waiter = waiter;
        }
    }

    /** Where batches go: {@link UsageLedger#store} or {@link UsageLog#appendAll}. */
    @FunctionalInterface
    private interface Target {
        Written write(List<UsageEvent> events);
    }

    /** What a target did: the outcome of each event and how many rows were new. */
    private record Written(LedgerResult outcomes, int newRows) {
    }

    /** A batch taken from the queue; keeps its identity across retry rounds. */
    private static final class Batch {
        final List<Entry> entries;
        int rounds;
        long dueNanos;
        /** Flush tickets issued when the current round began (a later flush waits for the next round). */
        long ticketsAtStart;
        boolean triedSinceClose;

        Batch(List<Entry> entries) {
            this.entries = entries;
        }

        long minSeq() {
            long min = Long.MAX_VALUE;
            for (Entry e : entries) {
                min = Math.min(min, e.seq);
            }
            return min;
        }

        List<UsageEvent> events() {
            List<UsageEvent> out = new ArrayList<>(entries.size());
            entries.forEach(e -> out.add(e.event));
            return out;
        }
    }

    private static final class FlushTicket {
        final long upTo;
        /** Tickets issued before this one, plus one: a round fails only the tickets that saw it begin. */
        final long number;
        boolean failed;

        FlushTicket(long upTo, long number) {
            this.upTo = upTo;
            this.number = number;
        }
    }

    private BatchingUsageWriter(Builder b) {
        this.target = b.target;
        this.zone = b.zone;
        this.capacity = b.capacity;
        this.batchSize = b.batchSize;
        this.lingerNanos = b.linger.toNanos();
        this.failedDelayNanos = b.failedBatchDelay.toNanos();
        this.failedDelayMaxNanos = b.failedBatchDelayMax.toNanos();
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.maxSubmitWaitNanos = b.maxSubmitWait == null ? -1 : b.maxSubmitWait.toNanos();
        this.onAbandoned = b.onAbandoned;
        RetryPolicyBuilder<Written> policy = RetryPolicy.<Written>builder()
                .handle(RuntimeException.class)
                .withMaxRetries(b.maxRetries)
                .onFailedAttempt(e -> {
                    failedAttempts.incrementAndGet();
                    LOG.warn("Writing a batch of usage events failed (attempt {}): {}", e.getAttemptCount(),
                            brief(String.valueOf(e.getLastException())));
                });
        if (b.retryMaxDelay.equals(b.retryDelay)) {
            policy.withDelay(b.retryDelay);
        } else {
            policy.withBackoff(b.retryDelay, b.retryMaxDelay);
        }
        this.failsafe = Failsafe.with(policy.build());
        for (int i = 0; i < b.threads; i++) {
            Thread t = new Thread(this::runWorker, b.threadName + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
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
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        return new Builder(events -> {
            LedgerResult r = ledger.store(events, Instant.ofEpochMilli(clock.millis()), zone);
            return new Written(r, r.stored().size());
        }, zone);
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
        Objects.requireNonNull(log, "log");
        return new Builder(events -> new Written(new LedgerResult(events, List.of(), List.of()),
                log.appendAll(events)), null);
    }

    /**
     * Reserves a place in the buffer, blocking while it is full (up to the {@linkplain Builder#maxSubmitWait
     * maximum wait}).
     *
     * @throws IllegalStateException after {@link #close()} (also when the writer is closed while waiting)
     * @throws BackendUnavailableException when the configured maximum wait passed, or the caller was
     *         interrupted while waiting (its interrupt flag is kept); nothing was taken
     */
    /** @return the ledger's business zone (the one its windows roll in); empty for a log-only writer */
    @Override
    public Optional<ZoneId> zone() {
        return Optional.ofNullable(zone);
    }

    @Override
    public Slot reserve() {
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the usage writer is closed");
            }
            long waitNanos = maxSubmitWaitNanos;
            while (buffered >= capacity) {
                blockedSubmitters++;
                try {
                    if (maxSubmitWaitNanos < 0) {
                        space.await();
                    } else {
                        if (waitNanos <= 0) {
                            throw new BackendUnavailableException("usage buffer full (" + capacity
                                    + " events) for longer than " + Duration.ofNanos(maxSubmitWaitNanos)
                                    + "; the event was not taken");
                        }
                        waitNanos = space.awaitNanos(waitNanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendUnavailableException("interrupted while waiting for usage buffer space; the event was"
                            + " not taken", e);
                } finally {
                    blockedSubmitters--;
                }
                if (closing) {
                    throw new IllegalStateException("the usage writer was closed while waiting for buffer space");
                }
            }
            buffered++;
            openSlots++;
            return new WriterSlot();
        } finally {
            lock.unlock();
        }
    }

    /** A reserved place; see {@link UsageSink.Slot}. */
    private final class WriterSlot implements Slot {
        private final AtomicBoolean used = new AtomicBoolean();

        private void use() {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("this slot was used already");
            }
        }

        @Override
        public void submit(UsageEvent event, Progress progress) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(progress, "progress");
            use();
            enqueue(new Entry(0, event, progress, null));
        }

        @Override
        public Outcome store(UsageEvent event, Progress progress) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(progress, "progress");
            use();
            Waiter waiter = new Waiter();
            enqueue(new Entry(0, event, progress, waiter));
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return waiter.done.get(); // the batch is on its way: it cannot be withdrawn
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        throw cause instanceof BackendUnavailableException bue ? bue
                                : new BackendUnavailableException("usage event " + event.requestId()
                                        + " was not stored", cause);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void cancel() {
            use();
            lock.lock();
            try {
                openSlots--;
                buffered--;
                space.signal();
                work.signalAll(); // a closing worker may wait for open slots
            } finally {
                lock.unlock();
            }
        }
    }

    private void enqueue(Entry pending) {
        boolean late;
        Entry entry;
        lock.lock();
        try {
            openSlots--;
            late = stopped;
            entry = new Entry(++sequence, pending.event, pending.progress, pending.waiter);
            if (late) {
                buffered--;
                abandoned.incrementAndGet();
                submitted.incrementAndGet();
                space.signal();
            } else {
                queue.addLast(entry);
                outstanding.add(entry.seq);
                submitted.incrementAndGet();
                if (entry.waiter != null) {
                    urgent++;
                    work.signal();
                } else if (queue.size() >= batchSize || queue.size() == 1) {
                    work.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (late) {
            LOG.error("Usage event {} arrived after the writer stopped (its slot outlived the close timeout);"
                    + " abandoned", entry.event.requestId());
            settle(entry, Outcome.ABANDONED, null,
                    new BackendUnavailableException("the usage writer stopped; event not stored"));
            safely(() -> onAbandoned.accept(List.of(entry.event)));
        }
    }

    /**
     * Writes everything handed over before this call without waiting for the linger time, and returns when it
     * is all settled (and the {@link Progress} of each event was told), or as soon as a write of some of it
     * has failed after all retries (those events stay buffered and are retried later; see {@link #pending()}).
     */
    @Override
    public void flush() {
        lock.lock();
        try {
            if (outstanding.isEmpty()) {
                return;
            }
            FlushTicket ticket = new FlushTicket(sequence, ++ticketsIssued);
            flushes.add(ticket);
            work.signalAll();
            try {
                while (!outstanding.isEmpty() && outstanding.first() <= ticket.upTo && !ticket.failed) {
                    progress.awaitUninterruptibly();
                }
            } finally {
                flushes.remove(ticket);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking events, writes everything buffered (retrying failures until the close timeout; see the
     * class description for what is abandoned then) and stops the worker threads. Slots reserved before are
     * still honoured until the close timeout. Idempotent; blocks until done.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                long now = System.nanoTime();
                closeDeadline = now + closeTimeoutNanos;
                failed.forEach(b -> b.dueNanos = now); // one more round for each, at once
                work.signalAll();
                space.signalAll();
            }
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) {
                continue; // close() called from a callback: this worker ends on its own
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return events handed over through a slot */
    public long submitted() {
        return submitted.get();
    }

    /** @return events the ledger or log answered for: stored, duplicates and rejected */
    public long written() {
        return written.get();
    }

    /** @return events the target reported as newly stored */
    public long newlyStored() {
        return stored.get();
    }

    /** @return events the ledger already held (replays) */
    public long duplicates() {
        return duplicates.get();
    }

    /** @return events the ledger refused as data (moved to its dead letters) */
    public long rejected() {
        return rejected.get();
    }

    /** @return failed write attempts, counting every retry */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** @return events given up on: at {@link #close()} after all retries, or failed synchronous stores */
    public long abandoned() {
        return abandoned.get();
    }

    /** @return events buffered and not yet settled, including events whose write is being retried */
    public long pending() {
        lock.lock();
        try {
            return buffered - openSlots;
        } finally {
            lock.unlock();
        }
    }

    /** @return callers currently blocked in {@link #reserve} because the buffer is full (back-pressure) */
    public int blockedSubmitters() {
        lock.lock();
        try {
            return blockedSubmitters;
        } finally {
            lock.unlock();
        }
    }

    private void runWorker() {
        try {
            Batch batch;
            while ((batch = next()) != null) {
                batch.ticketsAtStart = ticketsIssuedNow();
                write(batch);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Usage writer thread {} stopped unexpectedly", Thread.currentThread().getName(), e);
            throw e;
        }
    }

    private long ticketsIssuedNow() {
        lock.lock();
        try {
            return ticketsIssued;
        } finally {
            lock.unlock();
        }
    }

    /** The next batch to write, or null when closing and nothing is left. */
    private Batch next() {
        lock.lock();
        try {
            long lingerDeadline = 0;
            while (true) {
                long now = System.nanoTime();
                boolean flushing = !flushes.isEmpty();
                boolean hurry = closing || flushing || urgent > 0;
                long nextDue = Long.MAX_VALUE;
                for (Iterator<Batch> it = failed.iterator(); it.hasNext(); ) {
                    Batch b = it.next();
                    if (flushing || b.dueNanos - now <= 0) {
                        it.remove();
                        return b;
                    }
                    nextDue = Math.min(nextDue, b.dueNanos - now);
                }
                if (!queue.isEmpty()) {
                    if (queue.size() >= batchSize || hurry || lingerNanos == 0) {
                        return take();
                    }
                    if (lingerDeadline == 0) {
                        lingerDeadline = now + lingerNanos;
                    }
                    long remaining = lingerDeadline - now;
                    if (remaining <= 0) {
                        return take();
                    }
                    awaitNanos(Math.min(remaining, nextDue));
                    continue;
                }
                lingerDeadline = 0;
                if (closing && failed.isEmpty()) {
                    if (openSlots == 0 || now - closeDeadline >= 0 || stopped) {
                        stopped = true;
                        work.signalAll(); // let the other workers see the end too
                        return null;
                    }
                    nextDue = Math.min(nextDue, closeDeadline - now); // wait for reserved slots to be used
                }
                if (nextDue == Long.MAX_VALUE) {
                    work.awaitUninterruptibly();
                } else {
                    awaitNanos(nextDue);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) {
        try {
            work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // Workers are only stopped through close(); an interrupt just ends this wait.
            Thread.interrupted();
        }
    }

    private Batch take() {
        List<Entry> entries = new ArrayList<>(Math.min(batchSize, queue.size()));
        while (entries.size() < batchSize && !queue.isEmpty()) {
            Entry e = queue.pollFirst();
            if (e.waiter != null) {
                urgent--;
            }
            entries.add(e);
        }
        return new Batch(entries);
    }

    private void write(Batch batch) {
        for (Entry e : batch.entries) {
            if (!e.committingTold) {
                e.committingTold = true;
                safely(e.progress::committing);
            }
        }
        List<UsageEvent> events = batch.events();
        Written result;
        try {
            result = failsafe.get(() -> target.write(events));
        } catch (RuntimeException e) {
            failedRound(batch, e);
            return;
        }
        Outcomes outcomes = new Outcomes(result.outcomes());
        long dups = 0;
        long bad = 0;
        for (Entry e : batch.entries) { // before the release, so that flush() returns after the callbacks
            Outcomes.Found found = outcomes.of(e.event);
            switch (found.outcome()) {
                case STORED -> {
                    // counted from the target's answer below
                }
                case DUPLICATE -> dups++;
                case REJECTED -> {
                    bad++;
                    LOG.error("Usage event {} of user {} was rejected by the store and moved to the dead letters: {}",
                            e.event.requestId(), e.event.userId(), brief(found.error()));
                }
                default -> throw new IllegalStateException(found.outcome().name());
            }
            settle(e, found.outcome(), found.error(), null);
        }
        lock.lock();
        try {
            written.addAndGet(events.size());
            stored.addAndGet(result.newRows());
            duplicates.addAndGet(dups);
            rejected.addAndGet(bad);
            release(batch.entries);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells one event's {@link Progress} (and its synchronous caller) its outcome; called without the lock.
     * {@code failure} is thrown to a synchronous caller of an abandoned event.
     */
    private static void settle(Entry e, Outcome outcome, String error, BackendUnavailableException failure) {
        if (outcome == Outcome.REJECTED) {
            safely(() -> e.progress.rejected(error));
        }
        safely(() -> e.progress.settled(outcome));
        if (e.waiter != null) {
            if (outcome == Outcome.ABANDONED) {
                e.waiter.done.completeExceptionally(failure);
            } else {
                e.waiter.done.complete(outcome);
            }
        }
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException callbackFailure) {
            LOG.error("A usage callback failed", callbackFailure);
        }
    }

    /** The outcome of each event of a written batch, found by identity, else by key. */
    private static final class Outcomes {
        record Found(Outcome outcome, String error) {
        }

        private final IdentityHashMap<UsageEvent, Found> byIdentity = new IdentityHashMap<>();
        private final Map<UsageKey, ArrayDeque<Found>> byKey = new HashMap<>();

        Outcomes(LedgerResult result) {
            result.stored().forEach(e -> put(e, new Found(Outcome.STORED, null)));
            result.duplicates().forEach(e -> put(e, new Found(Outcome.DUPLICATE, null)));
            result.rejected().forEach(r -> put(r.event(), new Found(Outcome.REJECTED, r.error())));
        }

        private void put(UsageEvent e, Found found) {
            byIdentity.put(e, found);
            byKey.computeIfAbsent(UsageKey.of(e), k -> new ArrayDeque<>(1)).addLast(found);
        }

        Found of(UsageEvent event) {
            Found found = byIdentity.get(event);
            if (found != null) {
                return found;
            }
            ArrayDeque<Found> sameKey = byKey.get(UsageKey.of(event));
            if (sameKey != null && !sameKey.isEmpty()) {
                return sameKey.pollFirst();
            }
            // The ledger broke its contract; a duplicate is the answer that makes the gate evict (never wrong).
            LOG.error("The ledger reported no outcome for usage event {} of user {}; treating it as a duplicate",
                    event.requestId(), event.userId());
            return new Found(Outcome.DUPLICATE, null);
        }
    }

    private void failedRound(Batch batch, RuntimeException e) {
        List<Entry> abandon = new ArrayList<>();
        List<Entry> syncFailed = new ArrayList<>();
        lock.lock();
        try {
            long now = System.nanoTime();
            batch.rounds++;
            for (FlushTicket t : flushes) {
                if (batch.minSeq() <= t.upTo && t.number <= batch.ticketsAtStart) {
                    t.failed = true;
                }
            }
            // A synchronous caller is answered now: its event leaves the batch and is never tried again.
            for (Iterator<Entry> it = batch.entries.iterator(); it.hasNext(); ) {
                Entry entry = it.next();
                if (entry.waiter != null) {
                    it.remove();
                    syncFailed.add(entry);
                }
            }
            if (!syncFailed.isEmpty()) {
                abandoned.addAndGet(syncFailed.size());
                release(syncFailed);
            }
            if (batch.entries.isEmpty()) {
                progress.signalAll();
            } else if (closing && batch.triedSinceClose && now - closeDeadline >= 0) {
                abandon.addAll(batch.entries);
                abandoned.addAndGet(abandon.size());
                release(batch.entries);
            } else {
                batch.triedSinceClose = closing;
                long delay = failedDelayNanos;
                for (int i = 1; i < batch.rounds && delay < failedDelayMaxNanos; i++) {
                    delay *= 2;
                }
                batch.dueNanos = now + Math.min(delay, failedDelayMaxNanos);
                if (closing && batch.dueNanos - closeDeadline > 0) {
                    batch.dueNanos = closeDeadline;
                }
                failed.addLast(batch);
                progress.signalAll();
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        BackendUnavailableException failure = e instanceof BackendUnavailableException bue ? bue
                : new BackendUnavailableException("storing usage failed: " + brief(String.valueOf(e)), e);
        for (Entry entry : syncFailed) {
            settle(entry, Outcome.ABANDONED, null, failure);
        }
        if (abandon.isEmpty()) {
            if (!batch.entries.isEmpty()) {
                LOG.error("Writing {} usage events failed after all retries (round {}); they stay buffered and will"
                        + " be retried", batch.entries.size(), batch.rounds, e);
            }
            return;
        }
        List<String> ids = new ArrayList<>(abandon.size());
        List<UsageEvent> events = new ArrayList<>(abandon.size());
        abandon.forEach(en -> {
            ids.add(en.event.requestId());
            events.add(en.event);
        });
        LOG.error("Abandoning {} usage events at close after all retries; request ids: {}", abandon.size(), ids, e);
        for (Entry entry : abandon) {
            settle(entry, Outcome.ABANDONED, null, failure);
        }
        safely(() -> onAbandoned.accept(List.copyOf(events)));
    }

    /** Removes finished entries from the buffer. Call with the lock held. */
    private void release(List<Entry> entries) {
        for (Entry e : entries) {
            outstanding.remove(e.seq);
        }
        buffered -= entries.size();
        space.signalAll();
        progress.signalAll();
    }

    /** Builder for {@link BatchingUsageWriter}; every setter validates eagerly. Not thread-safe. */
    public static final class Builder {
        private final ZoneId zone;
        private final Target target;
        private int capacity = 10_000;
        private int batchSize = 1_000;
        private Duration linger = Duration.ofMillis(200);
        private int threads = 2;
        private int maxRetries = 5;
        private Duration retryDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(5);
        private Duration failedBatchDelay = Duration.ofSeconds(1);
        private Duration failedBatchDelayMax = Duration.ofMinutes(1);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Duration maxSubmitWait;
        private Consumer<List<UsageEvent>> onAbandoned = events -> { };
        private String threadName = "quota-usage-writer";

        private Builder(Target target, ZoneId zone) {
            this.target = target;
            this.zone = zone;
        }

        /**
         * @param events how many unstored events the buffer holds before {@link BatchingUsageWriter#reserve} blocks (default 10,000)
         * @return this
         * @throws IllegalArgumentException if not positive
         */
        public Builder capacity(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("capacity must be positive: " + events);
            }
            this.capacity = events;
            return this;
        }

        /**
         * @param events the most events per write to the ledger or log (default 1,000: a batch has a fixed cost,
         *               the commit and a statement's set-up, which a bigger batch spreads over more events)
         * @return this
         * @throws IllegalArgumentException if not positive
         */
        public Builder batchSize(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("batchSize must be positive: " + events);
            }
            this.batchSize = events;
            return this;
        }

        /**
         * @param linger how long a partial batch waits for more events before it is written (default 200 ms;
         *               zero writes at once)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder linger(Duration linger) {
            this.linger = notNegative(linger, "linger");
            return this;
        }

        /**
         * @param threads worker threads writing in parallel (default 2, at most 64: while one thread waits for its
         *                batch's commit, the other prepares and sends the next, which on PostgreSQL stores about 1.5
         *                times the events per second of one thread; the ledger stays exact whatever the interleaving)
         * @return this
         * @throws IllegalArgumentException if not between 1 and 64
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param retries retries of a failed write within one round (default 5; 0 = one attempt per round)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative: " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * @param initial the delay before the first retry, doubled for each further one (default 100 ms)
         * @param max the longest delay between retries (default 5 s)
         * @return this
         * @throws IllegalArgumentException if a delay is not positive or {@code max < initial}
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            positive(initial, "initial retry delay");
            positive(max, "max retry delay");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max retry delay must not be shorter than the initial delay");
            }
            this.retryDelay = initial;
            this.retryMaxDelay = max;
            return this;
        }

        /**
         * @param initial how long a batch that failed a whole round waits before the next round, doubled per
         *                round (default 1 s; zero retries at once)
         * @param max the longest wait between rounds (default 1 min)
         * @return this
         * @throws IllegalArgumentException if negative or {@code max < initial}
         */
        public Builder failedBatchDelay(Duration initial, Duration max) {
            notNegative(initial, "failed batch delay");
            notNegative(max, "max failed batch delay");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max failed batch delay must not be shorter than the initial delay");
            }
            this.failedBatchDelay = initial;
            this.failedBatchDelayMax = max;
            return this;
        }

        /**
         * @param timeout how long {@link #close()} keeps retrying failed batches before abandoning them; each
         *                gets at least one more round (default 30 s)
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = notNegative(timeout, "closeTimeout");
            return this;
        }

        /**
         * @param wait the longest a {@link BatchingUsageWriter#reserve} waits for buffer space before throwing
         *             {@link BackendUnavailableException}; {@code null} (the default) waits as long as needed
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder maxSubmitWait(Duration wait) {
            this.maxSubmitWait = wait == null ? null : notNegative(wait, "maxSubmitWait");
            return this;
        }

        /**
         * @param handler receives the events abandoned at close (already logged at ERROR), e.g. to spool them
         *                to a file; default none
         * @return this
         */
        public Builder onAbandoned(Consumer<List<UsageEvent>> handler) {
            this.onAbandoned = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param name the worker threads' name prefix (default {@code quota-usage-writer})
         * @return this
         * @throws IllegalArgumentException if blank
         */
        public Builder threadName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("threadName must not be blank");
            }
            this.threadName = name;
            return this;
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

        private static Duration notNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be null or negative: " + d);
            }
            return d;
        }

        private static void positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
        }
    }

    /** The first line of a failure, at most 300 characters, for log lines. */
    private static String brief(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("").strip();
        return first.length() <= 300 ? first : first.substring(0, 300) + "...";
    }
}
