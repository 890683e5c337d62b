package dev.quota.testkit;

import dev.quota.core.spi.RpmCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link RpmCounter}: one count per (user, group or {@code null}, bucket start). Buckets more
 * than {@link #RETENTION} older than the newest bucket incremented are purged, as a Redis key's expiry
 * would drop them. Failures can be injected through {@link #faults()}.
 *
 * <p>{@link InMemoryBillingCache} counts into one of these (see {@link InMemoryBillingCache#rpmCounter()}),
 * so a check through the cache and a direct increment share the same counters, as in Redis.
 *
 * <p>Thread-safe.
 */
public final class InMemoryRpmCounter extends FaultInjectedFake implements RpmCounter {

    /** How long a bucket is kept after a newer bucket is used. */
    public static final Duration RETENTION = Duration.ofMinutes(5);

    private record Key(long userId, Long groupId, long bucketStartMillis) {
    }

    private final Map<Key, Long> counts = new ConcurrentHashMap<>();
    private final AtomicLong newestBucket = new AtomicLong(Long.MIN_VALUE);

    /** Creates empty counters with their own {@link Faults}. */
    public InMemoryRpmCounter() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates empty counters.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryRpmCounter(Faults faults) {
        super(faults);
    }

    @Override
    public long increment(long userId, Long groupId, Instant bucketStart) {
        Objects.requireNonNull(bucketStart, "bucketStart");
        faults.beforeCall("RpmCounter.increment");
        return incrementWithoutFaults(userId, groupId, bucketStart);
    }

    /**
     * The count of one bucket, for assertions (does not count as a call and ignores injected faults).
     *
     * @param userId the user
     * @param groupId the group, or {@code null} for the user's global counter
     * @param bucketStart the bucket's start
     * @return the count, 0 when the bucket was never incremented or was purged
     */
    public long count(long userId, Long groupId, Instant bucketStart) {
        return counts.getOrDefault(new Key(userId, groupId, bucketStart.toEpochMilli()), 0L);
    }

    /** Removes every counter (does not count as a call and ignores injected faults). */
    public void clear() {
        counts.clear();
    }

    long incrementWithoutFaults(long userId, Long groupId, Instant bucketStart) {
        long bucket = bucketStart.toEpochMilli();
        long previousNewest = newestBucket.getAndAccumulate(bucket, Math::max);
        if (bucket > previousNewest) {
            long threshold = bucket - RETENTION.toMillis();
            counts.keySet().removeIf(k -> k.bucketStartMillis() < threshold);
        }
        return counts.merge(new Key(userId, groupId, bucket), 1L, Long::sum);
    }
}
