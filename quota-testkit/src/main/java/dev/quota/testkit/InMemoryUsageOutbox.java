package dev.quota.testkit;

import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link UsageOutbox} with the semantics of the Redis one: one entry per {@link UsageKey}
 * (user × request id) holding the event and a score, the epoch millisecond of the cache's {@code now} when
 * the usage was applied. {@link InMemoryBillingCache} appends to its outbox ({@link InMemoryBillingCache#outbox()})
 * in the same atomic step that sets the idempotency marker, so a replay appends nothing.
 *
 * <ul>
 *   <li>{@link #claimStale} takes the entries whose score is before {@code olderThan}, oldest first (ties in
 *       append order), up to {@code max}, and re-scores them to {@code now + lease}, so that another drainer
 *       skips them until the lease ends; they stay until acknowledged;</li>
 *   <li>{@link #acknowledge} deletes entries by key; unknown keys are ignored.</li>
 * </ul>
 *
 * <p>Failures are injected through the {@link Faults} given at construction (checked before any state
 * changes; operation names {@code "UsageOutbox.acknowledge"}, {@code "UsageOutbox.claimStale"},
 * {@code "UsageOutbox.size"}). Thread-safe.
 */
public final class InMemoryUsageOutbox extends FaultInjectedFake implements UsageOutbox {

    /** One outbox entry: the event, its score in epoch ms and its append sequence (for ties). */
    private record Entry(UsageEvent event, long scoreMillis, long sequence) {
    }

    private final Object lock = new Object();
    private final Map<UsageKey, Entry> entries = new HashMap<>();
    private long nextSequence;

    /** Creates an empty outbox with its own {@link Faults}. */
    public InMemoryUsageOutbox() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty outbox.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryUsageOutbox(Faults faults) {
        super(faults);
    }

    /**
     * Appends the entry of newly applied usage, scored at {@code now}; an entry already held under the same
     * key is replaced. Called by {@link InMemoryBillingCache} inside its atomic apply step. Ignores injected
     * faults (the caller checked them).
     *
     * @param event the applied usage
     * @param now the instant the usage was applied (the cache caller's clock)
     */
    void append(UsageEvent event, Instant now) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        synchronized (lock) {
            entries.put(UsageKey.of(event), new Entry(event, now.toEpochMilli(), nextSequence++));
        }
    }

    @Override
    public void acknowledge(Collection<UsageKey> keys) {
        Objects.requireNonNull(keys, "keys");
        List<UsageKey> copy = List.copyOf(keys); // rejects null elements before anything changes
        faults.beforeCall("UsageOutbox.acknowledge");
        synchronized (lock) {
            copy.forEach(entries::remove);
        }
    }

    @Override
    public List<UsageEvent> claimStale(Instant olderThan, Instant now, Duration lease, int max) {
        Objects.requireNonNull(olderThan, "olderThan");
        Objects.requireNonNull(now, "now");
        requireValidClaim(lease, max);
        faults.beforeCall("UsageOutbox.claimStale");
        long before = olderThan.toEpochMilli();
        long leasedUntil = now.plus(lease).toEpochMilli();
        synchronized (lock) {
            List<Map.Entry<UsageKey, Entry>> stale = new ArrayList<>();
            for (Map.Entry<UsageKey, Entry> e : entries.entrySet()) {
                if (e.getValue().scoreMillis() < before) {
                    stale.add(e);
                }
            }
            stale.sort(Comparator.comparingLong((Map.Entry<UsageKey, Entry> e) -> e.getValue().scoreMillis())
                    .thenComparingLong(e -> e.getValue().sequence()));
            List<UsageEvent> claimed = new ArrayList<>();
            for (Map.Entry<UsageKey, Entry> e : stale.subList(0, Math.min(max, stale.size()))) {
                Entry entry = e.getValue();
                entries.put(e.getKey(), new Entry(entry.event(), leasedUntil, entry.sequence()));
                claimed.add(entry.event());
            }
            return List.copyOf(claimed);
        }
    }

    @Override
    public long size() {
        faults.beforeCall("UsageOutbox.size");
        synchronized (lock) {
            return entries.size();
        }
    }

    /**
     * @param key a key
     * @return whether the outbox holds an entry under this key (ignores injected faults)
     */
    public boolean contains(UsageKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return entries.containsKey(key);
        }
    }

    /** Drops every entry (ignores injected faults). */
    public void clear() {
        synchronized (lock) {
            entries.clear();
        }
    }

    /**
     * Validates the lease and batch size of a claim, as every {@link UsageOutbox} does.
     *
     * @param lease the lease, at least 1 ms
     * @param max the batch size, positive
     * @throws IllegalArgumentException when either is not positive
     */
    static void requireValidClaim(Duration lease, int max) {
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease must be at least 1 ms: " + lease);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
    }
}
