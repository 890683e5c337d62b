package dev.quota.testkit;

import dev.quota.core.spi.RollupStore;
import dev.quota.core.usage.HourlyUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link RollupStore}: hourly roll-ups keyed by (hour, user, model); adding sums into the
 * stored roll-up with {@link HourlyUsage#plus}. Failures can be injected through {@link #faults()}; a
 * failed batch stores nothing.
 *
 * <p>Thread-safe: every operation runs under one lock, so a batch is applied atomically.
 */
public final class InMemoryRollupStore extends FaultInjectedFake implements RollupStore {

    private static final Comparator<HourlyUsage> ORDER = Comparator.comparing(HourlyUsage::hour)
            .thenComparingLong(HourlyUsage::userId)
            .thenComparing(HourlyUsage::model);

    private record Key(Instant hour, long userId, String model) {
    }

    private final Map<Key, HourlyUsage> rollups = new HashMap<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemoryRollupStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryRollupStore(Faults faults) {
        super(faults);
    }

    @Override
    public void add(Collection<HourlyUsage> batch) {
        Batches.requireNoNulls(batch, "rollups");
        faults.beforeCall("RollupStore.add");
        synchronized (rollups) {
            // Sum into a copy first so that an overflow leaves the store unchanged.
            Map<Key, HourlyUsage> updated = new HashMap<>();
            for (HourlyUsage h : batch) {
                Key key = new Key(h.hour(), h.userId(), h.model());
                HourlyUsage old = updated.containsKey(key) ? updated.get(key) : rollups.get(key);
                updated.put(key, old == null ? h : old.plus(h));
            }
            rollups.putAll(updated);
        }
    }

    /** Adds one roll-up without counting a call or obeying injected faults; for {@link InMemoryUsageLedger}. */
    void addQuietly(HourlyUsage h) {
        synchronized (rollups) {
            rollups.merge(new Key(h.hour(), h.userId(), h.model()), h, HourlyUsage::plus);
        }
    }

    @Override
    public List<HourlyUsage> find(Long userId, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        faults.beforeCall("RollupStore.find");
        List<HourlyUsage> out = new ArrayList<>();
        synchronized (rollups) {
            for (HourlyUsage h : rollups.values()) {
                if ((userId == null || userId == h.userId()) && inRange(h.hour(), from, to)) {
                    out.add(h);
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    @Override
    public int deleteRange(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        faults.beforeCall("RollupStore.deleteRange");
        synchronized (rollups) {
            int before = rollups.size();
            rollups.keySet().removeIf(k -> inRange(k.hour(), from, to));
            return before - rollups.size();
        }
    }

    /** Removes every roll-up (does not count as a call and ignores injected faults). */
    public void clear() {
        synchronized (rollups) {
            rollups.clear();
        }
    }

    private static boolean inRange(Instant hour, Instant from, Instant to) {
        return !hour.isBefore(from) && hour.isBefore(to);
    }
}
