package dev.quota.testkit;

import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import dev.quota.core.spi.PlatformQuotaStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory {@link PlatformQuotaStore}: user × platform records in a concurrent map, usage added with
 * {@link PlatformQuotaRecord#addUsage} (resetting expired windows) in one atomic map operation, and the
 * defaults replaced as a whole. Failures can be injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryPlatformQuotaStore extends FaultInjectedFake implements PlatformQuotaStore {

    private record Key(long userId, String platform) {
    }

    private final Map<Key, PlatformQuotaRecord> records = new ConcurrentHashMap<>();
    private final AtomicReference<PlatformQuotaDefaults> defaults = new AtomicReference<>(PlatformQuotaDefaults.NONE);

    /** Creates an empty store ({@link PlatformQuotaDefaults#NONE}) with its own {@link Faults}. */
    public InMemoryPlatformQuotaStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store with {@link PlatformQuotaDefaults#NONE}.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryPlatformQuotaStore(Faults faults) {
        super(faults);
    }

    @Override
    public Optional<PlatformQuotaRecord> find(long userId, String platform) {
        requirePlatform(platform);
        faults.beforeCall("PlatformQuotaStore.find");
        return Optional.ofNullable(records.get(new Key(userId, platform)));
    }

    @Override
    public void setLimits(long userId, String platform, PeriodLimits limits) {
        requirePlatform(platform);
        faults.beforeCall("PlatformQuotaStore.setLimits");
        records.compute(new Key(userId, platform),
                (k, old) -> (old == null ? PlatformQuotaRecord.empty(userId, platform) : old).withLimits(limits));
    }

    @Override
    public PlatformQuotaRecord addUsage(long userId, String platform, Money cost, Instant now, ZoneId zone) {
        requirePlatform(platform);
        if (cost == null || cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be null or negative: " + cost);
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("PlatformQuotaStore.addUsage");
        return addUsageQuietly(userId, platform, cost, now, zone);
    }

    PlatformQuotaRecord addUsageQuietly(long userId, String platform, Money cost, Instant now, ZoneId zone) {
        return records.compute(new Key(userId, platform),
                (k, old) -> (old == null ? PlatformQuotaRecord.empty(userId, platform) : old)
                        .addUsage(cost.nanos(), now, zone));
    }

    @Override
    public PlatformQuotaDefaults defaults() {
        faults.beforeCall("PlatformQuotaStore.defaults");
        return defaults.get();
    }

    @Override
    public void replaceDefaults(PlatformQuotaDefaults newDefaults) {
        Objects.requireNonNull(newDefaults, "defaults");
        faults.beforeCall("PlatformQuotaStore.replaceDefaults");
        defaults.set(newDefaults);
    }

    /** Removes every record and resets the defaults (does not count as a call and ignores injected faults). */
    public void clear() {
        records.clear();
        defaults.set(PlatformQuotaDefaults.NONE);
    }

    private static void requirePlatform(String platform) {
        if (platform == null || platform.isBlank()) {
            throw new IllegalArgumentException("platform must not be blank");
        }
    }
}
