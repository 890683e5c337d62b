package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.BillingCache;
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

    /** One cache entry to evict. */
    private record Owed(Kind kind, long userId, long id, String platform) {
    }

    private enum Kind { BALANCE, SUBSCRIPTION, PLATFORM_QUOTA, KEY_USAGE }

    private final BillingCache cache;
    private final Set<Owed> owed = ConcurrentHashMap.newKeySet();
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
                evict(new Owed(Kind.BALANCE, user, 0, null));
                if (event.platform() != null) {
                    evict(new Owed(Kind.PLATFORM_QUOTA, user, 0, event.platform()));
                }
            }
            case SUBSCRIPTION -> {
                if (event.groupId() != null) {
                    evict(new Owed(Kind.SUBSCRIPTION, user, event.groupId(), null));
                }
            }
            case NONE -> {
                // logged only: it moved no counter
            }
            default -> throw new IllegalStateException(event.billingMode().name());
        }
        if (event.apiKeyId() != null && event.billingMode() != BillingMode.NONE) {
            evict(new Owed(Kind.KEY_USAGE, user, event.apiKeyId(), null));
        }
    }

    /** Evicts a user's cached balance; owed when the cache fails. */
    void evictBalance(long userId) {
        if (cache != null) {
            evict(new Owed(Kind.BALANCE, userId, 0, null));
        }
    }

    /** Evicts a user's cached subscription in a group; owed when the cache fails. */
    void evictSubscription(long userId, long groupId) {
        if (cache != null) {
            evict(new Owed(Kind.SUBSCRIPTION, userId, groupId, null));
        }
    }

    /** Evicts a user's cached platform quota on one platform; owed when the cache fails. */
    void evictPlatformQuota(long userId, String platform) {
        if (cache != null) {
            evict(new Owed(Kind.PLATFORM_QUOTA, userId, 0, platform));
        }
    }

    private void evict(Owed entry) {
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

    private void run(Owed e) {
        switch (e.kind()) {
            case BALANCE -> cache.evictBalance(e.userId());
            case SUBSCRIPTION -> cache.evictSubscription(e.userId(), e.id());
            case PLATFORM_QUOTA -> cache.evictPlatformQuota(e.userId(), e.platform());
            case KEY_USAGE -> cache.evictKeyUsage(e.userId(), e.id());
            default -> throw new IllegalStateException(e.kind().name());
        }
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
            for (Iterator<Owed> it = owed.iterator(); it.hasNext(); ) {
                Owed e = it.next();
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
