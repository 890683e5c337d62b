package dev.quota.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded cache whose entries expire a fixed time after they were stored, on an injected clock: an entry
 * stored at {@code t} is served while {@code now < t + ttl}. When full, storing a new key removes the entry
 * stored longest ago. Thread-safe (one lock; the caches it serves are small and their values cheap to copy).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ExpiringCache<K, V> {

    /**
     * A value and when it was stored.
     *
     * @param value the value
     * @param storedAt when it was stored
     * @param <V> the value type
     */
    public record Entry<V>(V value, Instant storedAt) {
    }

    private final InstantSource clock;
    private final Duration ttl;
    private final int maxSize;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();

    /**
     * @param clock the source of "now"
     * @param ttl how long an entry is served; positive
     * @param maxSize how many entries it holds at most; positive
     */
    public ExpiringCache(InstantSource clock, Duration ttl, int maxSize) {
        if (ttl.isNegative() || ttl.isZero() || maxSize < 1) {
            throw new IllegalArgumentException("ttl and maxSize must be positive: " + ttl + ", " + maxSize);
        }
        this.clock = clock;
        this.ttl = ttl;
        this.maxSize = maxSize;
    }

    /**
     * @param key the key
     * @return the entry when present and not expired
     */
    public synchronized Optional<Entry<V>> get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.storedAt().plus(ttl))) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /**
     * Stores {@code value} as of now, replacing any entry of {@code key}; evicts the oldest entry when full.
     *
     * @param key the key
     * @param value the value
     * @return the stored entry
     */
    public synchronized Entry<V> put(K key, V value) {
        Entry<V> e = new Entry<>(value, clock.instant());
        entries.remove(key); // re-inserted last: insertion order is storage order
        entries.put(key, e);
        Iterator<Map.Entry<K, Entry<V>>> oldest = entries.entrySet().iterator();
        while (entries.size() > maxSize) {
            oldest.next();
            oldest.remove();
        }
        return e;
    }

    /** @return how many entries are held (expired ones included until they are read or evicted) */
    public synchronized int size() {
        return entries.size();
    }
}
