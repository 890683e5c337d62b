package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cache from answering with entries that missed usage. When usage could not reach a cache entry
 * (the cache failed, or the store refused usage the cache counted) the entry is evicted; an eviction that fails
 * too is <em>owed</em>: remembered here and paid before the gate's next use of the cache ({@link #payIfOwed()},
 * a volatile read when nothing is owed) and by a background retry. Thread-safe.
 */
final class CacheCoherence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheCoherence.class);
    /** Owed evictions kept at most; beyond this an outage's evictions are logged and left to the entries' TTL. */
    static final int MAX_OWED = 1_000_000;

    private final BillingCache cache;
    private final Set<EntryRef> owed = ConcurrentHashMap.newKeySet();
    private final Object paying = new Object();
    private final ScheduledExecutorService retry;
    private volatile boolean anyOwed;
    private final ThrottledLog failedEvictions;
    private final ThrottledLog overflow;

    /**
     * @param cache the cache, or null (then nothing is ever owed)
     * @param retryEvery how often owed evictions are retried in the background
     * @param clock the gate's clock, for the log throttle
     * @param logInterval the least time between two warnings of one kind (an outage fails every eviction)
     */
    CacheCoherence(BillingCache cache, Duration retryEvery, Clock clock, Duration logInterval) {
        this.cache = cache;
        this.failedEvictions = new ThrottledLog(LOG, clock, logInterval);
        this.overflow = new ThrottledLog(LOG, clock, logInterval);
        if (cache == null) {
            this.retry = null;
        } else {
            this.retry = Executors.newSingleThreadScheduledExecutor(Threads.daemon("quota-cache-coherence"));
            long every = retryEvery.toMillis();
            retry.scheduleWithFixedDelay(this::payQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Evicts every cache entry the event's usage touches; evictions that fail are owed.
     *
     * @param event the usage that an entry may lack (or hold wrongly)
     */
    void evictTouched(UsageEvent event) {
        if (cache == null) {
            return;
        }
        long user = event.userId();
        switch (event.billingMode()) {
            case BALANCE -> {
                evict(EntryRef.balance(user));
                if (event.platform() != null) {
                    evict(EntryRef.platformQuota(user, event.platform()));
                }
            }
            case SUBSCRIPTION -> {
                if (event.groupId() != null) {
                    evict(EntryRef.subscription(user, event.groupId()));
                }
            }
            case NONE -> {
                // logged only: it moved no counter
            }
            default -> throw new IllegalStateException(event.billingMode().name());
        }
        if (event.apiKeyId() != null && event.billingMode() != BillingMode.NONE) {
            evict(EntryRef.keyUsage(user, event.apiKeyId()));
        }
    }

    /**
     * Evicts one cache entry, e.g. after an admin change in the store; owed when the cache fails.
     *
     * @param ref the entry
     */
    void evictOrOwe(EntryRef ref) {
        if (cache != null) {
            evict(ref);
        }
    }

    private void evict(EntryRef entry) {
        try {
            run(entry);
        } catch (BackendUnavailableException e) {
            if (owed.size() >= MAX_OWED) {
                overflow.record("ALERT: {} more cache evictions left to their TTL: " + MAX_OWED
                        + " are owed already (latest: {})", entry);
                return;
            }
            owed.add(entry);
            anyOwed = true;
            failedEvictions.record("{} cache evictions failed; they are owed and paid before the next use of the"
                    + " cache (latest: {})", entry + ": " + e);
        }
    }

    private void run(EntryRef e) {
        cache.evict(e);
    }

    /**
     * Pays the owed evictions, if any, before the cache is used. Stops at the first failure (the cache is still
     * down; the caller's own cache call will find that out too).
     *
     * @return true when nothing is owed any more
     */
    boolean payIfOwed() {
        if (!anyOwed) {
            return true;
        }
        synchronized (paying) {
            for (Iterator<EntryRef> it = owed.iterator(); it.hasNext(); ) {
                EntryRef e = it.next();
                try {
                    run(e);
                } catch (BackendUnavailableException failure) {
                    return false;
                }
                it.remove();
            }
            anyOwed = !owed.isEmpty();
            if (!anyOwed) {
                LOG.info("owed cache evictions paid");
            }
            return !anyOwed;
        }
    }

    private void payQuietly() {
        try {
            payIfOwed();
        } catch (RuntimeException e) {
            LOG.warn("paying owed cache evictions failed", e);
        }
    }

    /** @return evictions owed now */
    long owed() {
        return owed.size();
    }

    @Override
    public void close() {
        if (retry != null) {
            retry.shutdownNow();
        }
    }
}
