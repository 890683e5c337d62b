package dev.quota.core.internal;

import dev.quota.core.GateConfig;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record path: hands usage to the cache and the usage sink all or nothing, follows each event until the sink
 * settles it (unsettled-usage bookkeeping, rejections, evictions of what the store refused, outbox
 * acknowledgements) and hands over the events the outbox drainer claimed. Thread-safe.
 */
final class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    /** One atomic cache step that applies usage (and appends its outbox entry); true when newly applied. */
    @FunctionalInterface
    interface CacheStep {
        /** @return true when the cache newly counted the event */
        boolean apply();
    }

    private final GateConfig config;
    private final CacheWritePool pool;
    private final CacheCoherence coherence;
    private final UnsettledUsage unsettled;
    private final OutboxAcker acker;
    private final AtomicLong rejectedUsage = new AtomicLong();
    private final AtomicLong synchronousStores = new AtomicLong();
    private final AtomicLong drainedUsage = new AtomicLong();

    private final ThrottledLog cacheFailures;

    /**
     * @param config the gate's configuration (cache, sink, zone, clock, listener, asynchronous writes)
     * @param pool runs queued usage writes
     * @param coherence evicts what the cache missed or the store refused
     * @param unsettled the gate's unsettled usage
     * @param acker acknowledges outbox entries of settled usage, or null without an outbox
     */
    Recorder(GateConfig config, CacheWritePool pool, CacheCoherence coherence, UnsettledUsage unsettled,
             OutboxAcker acker) {
        this.cacheFailures = new ThrottledLog(LOG, config.clock(), config.dropLogInterval());
        this.config = config;
        this.pool = pool;
        this.coherence = coherence;
        this.unsettled = unsettled;
        this.acker = acker;
    }

    /**
     * Records a validated event (simple mode logs it only).
     *
     * @param event the usage
     */
    void record(UsageEvent event) {
        UsageEvent e = config.simpleMode() ? loggedOnly(event) : event;
        Instant now = config.time().now();
        handOver(e, config.cache() == null ? null : () -> config.cache().applyUsage(e, now, config.zone()),
                "usage " + e.requestId());
    }

    /** Simple mode: the event is logged (ledger, roll-ups, statistics) but bills nothing. */
    private static UsageEvent loggedOnly(UsageEvent e) {
        if (e.billingMode() == BillingMode.NONE) {
            return e;
        }
        return e.toBuilder().billingMode(BillingMode.NONE).build();
    }

    /**
     * The record path, all-or-nothing: reserve a place in the sink (a refusal changes nothing), note the event
     * as unsettled (before the cache write, so that no store read can begin between the increment and the
     * moment the gate knows the store lacks it), apply it to the cache (which appends the outbox entry in the
     * same step), then hand it over. When the cache cannot take it, the event is stored synchronously instead,
     * so that it is never held in one place only; when that fails too, the call throws and nothing is charged.
     *
     * @param event the validated event
     * @param cacheStep the cache step, or null without a cache
     * @param what for the logs
     */
    void handOver(UsageEvent event, CacheStep cacheStep, String what) {
        coherence.payIfOwed();
        UsageSink.Slot slot = config.usageSink().reserve();
        RecordProgress progress = new RecordProgress(event);
        unsettled.add(event);
        boolean slotUsed = false;
        boolean handed = false;
        try {
            boolean cacheTook = false;
            if (cacheStep != null) {
                if (config.asyncUsageWrites()) {
                    pool.submitCritical(what, () -> applyToCache(event, cacheStep));
                    cacheTook = true;
                    progress.charged = true;
                } else {
                    try {
                        progress.charged = cacheStep.apply();
                        cacheTook = true;
                    } catch (BackendUnavailableException e) {
                        cacheFailures.record("{} cache writes failed; their events were stored synchronously"
                                + " (latest: {})", what + ": " + e);
                        coherence.evictTouched(event);
                    }
                }
            }
            progress.acknowledge = cacheTook && acker != null;
            slotUsed = true;
            if (cacheTook) {
                slot.submit(event, progress);
            } else {
                synchronousStores.incrementAndGet();
                slot.store(event, progress);
            }
            handed = true;
        } finally {
            if (!slotUsed) {
                slot.cancel();
            }
            if (!handed) {
                progress.finish(); // no-op when the sink settled it (a failed synchronous store)
            }
        }
    }

    /** Queued usage writes: a failure evicts what the cache missed. */
    private void applyToCache(UsageEvent event, CacheStep step) {
        try {
            step.apply();
        } catch (BackendUnavailableException e) {
            coherence.evictTouched(event);
            throw e;
        }
    }

    /**
     * Hands an event the drainer claimed to the sink; it is acknowledged once settled.
     *
     * @param event the claimed event
     * @return false when the sink has no room (the drain round stops)
     */
    boolean handOverDrained(UsageEvent event) {
        UsageSink.Slot slot;
        try {
            slot = config.usageSink().reserve();
        } catch (BackendUnavailableException | IllegalStateException e) {
            return false;
        }
        RecordProgress progress = new RecordProgress(event);
        progress.acknowledge = true;
        progress.drained = true;
        unsettled.add(event);
        slot.submit(event, progress);
        return true;
    }

    /** @return recorded events the store refused as data */
    long rejectedUsage() {
        return rejectedUsage.get();
    }

    /** @return records stored synchronously because the cache could not take them */
    long synchronousStores() {
        return synchronousStores.get();
    }

    /** @return outbox entries of other instances this gate's drainer stored */
    long drainedUsage() {
        return drainedUsage.get();
    }

    /**
     * Follows one event through the sink: keeps {@link UnsettledUsage} informed, reports rejections, makes SQL
     * the judge (usage the cache counted but the store refused is evicted) and acknowledges the outbox entry.
     */
    private final class RecordProgress implements UsageSink.Progress {
        private final UsageEvent event;
        private final AtomicBoolean done = new AtomicBoolean();
        /** The cache newly counted the event (set before the hand-over). */
        volatile boolean charged;
        /** The cache holds an outbox entry of the event to acknowledge (set before the hand-over). */
        volatile boolean acknowledge;
        /** Handed over by the drainer. */
        volatile boolean drained;

        RecordProgress(UsageEvent event) {
            this.event = event;
        }

        @Override
        public void committing() {
            unsettled.committing(event);
        }

        @Override
        public void rejected(String error) {
            rejectedUsage.incrementAndGet();
            Listeners.safely(() -> config.listener().onUsageRejected(event, error));
        }

        @Override
        public void settled(UsageSink.Outcome outcome) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                boolean refused = outcome == UsageSink.Outcome.DUPLICATE || outcome == UsageSink.Outcome.REJECTED;
                if ((charged && refused) || (drained && outcome == UsageSink.Outcome.REJECTED)) {
                    // SQL is the judge: the cache counted usage the store refused (a drained event was counted
                    // by the instance that recorded it; a duplicate of it was counted once, a rejection never)
                    coherence.evictTouched(event);
                }
                if (outcome != UsageSink.Outcome.ABANDONED) {
                    if (acknowledge) {
                        acker.add(UsageKey.of(event));
                    }
                    if (drained) {
                        drainedUsage.incrementAndGet();
                        Listeners.safely(() -> config.listener().onUsageRecovered(event));
                    }
                }
            } finally {
                unsettled.settled(event);
            }
        }

        /** Ends the bookkeeping of an event the sink never took. */
        void finish() {
            if (done.compareAndSet(false, true)) {
                unsettled.settled(event);
            }
        }
    }
}
