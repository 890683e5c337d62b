package dev.quota.core;

import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.spi.WindowCounterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link BillingGateBuilder} collected, as the gate reads it: immutable, one named accessor per setting
 * (defaults and valid ranges are documented on the builder's setters). Only the builder creates one, in
 * {@link BillingGateBuilder#build()}; gateways never need it. Thread-safe.
 */
public final class GateConfig {

    private final BillingCache cache;
    private final RpmCounter rpmCounter;
    private final BalanceStore balances;
    private final SubscriptionStore subscriptions;
    private final PlatformQuotaStore platformQuotas;
    private final Duration refillMaxAge;
    private final WindowCounterStore windowCounters;
    private final RpmOverrideStore rpmOverrides;
    private final UsageSink usageSink;
    private final QuotaTime time;
    private final boolean simpleMode;
    private final Set<String> platforms;
    private final Map<CheckKind, FailurePolicy> policies;
    private final int cacheWriteWorkers;
    private final int cacheWriteQueue;
    private final Duration cacheWriteTimeout;
    private final Duration dropLogInterval;
    private final Duration loadTimeout;
    private final int breakerFailureThreshold;
    private final Duration breakerResetTimeout;
    private final int breakerHalfOpenRequests;
    private final Duration holdTimeout;
    private final Money maxCharge;
    private final PlatformQuotaDefaults platformQuotaDefaults;
    private final QuotaListener listener;
    private final boolean asyncUsageWrites;
    private final Duration platformDefaultsRefresh;
    private final UsageOutbox outbox;
    private final Duration drainInterval;
    private final Duration drainIdle;

    /**
     * Copies the builder's values (the builder stays free to change afterwards).
     *
     * @param b the builder
     * @throws IllegalStateException when the usage sink rolls windows in another zone than one set on the builder, or
     *         the cache reports no dirty period
     */
    GateConfig(BillingGateBuilder<?> b) {
        this.cache = b.cache;
        this.refillMaxAge = refillMaxAge(b.cache);
        this.rpmCounter = b.rpmCounter;
        this.balances = b.balances;
        this.subscriptions = b.subscriptions;
        this.platformQuotas = b.platformQuotas;
        this.windowCounters = b.windowCounters;
        this.rpmOverrides = b.rpmOverrides;
        this.usageSink = b.usageSink;
        this.time = b.usageSink == null ? b.time : resolveTime(b);
        this.simpleMode = b.simpleMode;
        this.platforms = Set.copyOf(b.platforms);
        this.policies = Map.copyOf(b.policies);
        this.cacheWriteWorkers = b.cacheWriteWorkers;
        this.cacheWriteQueue = b.cacheWriteQueue;
        this.cacheWriteTimeout = b.cacheWriteTimeout;
        this.dropLogInterval = b.dropLogInterval;
        this.loadTimeout = b.loadTimeout;
        this.breakerFailureThreshold = b.breakerFailureThreshold;
        this.breakerResetTimeout = b.breakerResetTimeout;
        this.breakerHalfOpenRequests = b.breakerHalfOpenRequests;
        this.holdTimeout = b.holdTimeout;
        this.maxCharge = b.maxCharge;
        this.platformQuotaDefaults = b.platformQuotaDefaults;
        this.listener = b.listener;
        this.asyncUsageWrites = b.asyncUsageWrites;
        this.platformDefaultsRefresh = b.platformDefaultsRefresh;
        this.outbox = b.outbox;
        this.drainInterval = b.drainInterval;
        this.drainIdle = b.drainIdle;
    }

    /**
     * The gate's clock and zone: what was set on the builder, and for what was not, the usage sink's (so a
     * deployment sets them once, on the SQL side); a sink in another zone is refused.
     */
    private static QuotaTime resolveTime(BillingGateBuilder<?> b) {
        QuotaTime resolved = b.time;
        Optional<QuotaTime> sinkTime = b.usageSink.time();
        if (sinkTime.isPresent()) {
            if (!b.clockSet) {
                resolved = resolved.withClock(sinkTime.get().clock());
            }
            if (!b.zoneSet) {
                resolved = resolved.withZone(sinkTime.get().zone());
            }
            resolved.requireSameZone(sinkTime.get().zone(), "the usage sink");
        }
        return resolved;
    }

    /** @return the hot-path cache, or null when every read goes to the stores */
    public BillingCache cache() {
        return cache;
    }

    /**
     * @return how old a queued refill's store read may be when the refill is written: half the cache's
     *         {@linkplain BillingCache#dirtyTtl() dirty period} (zero without a cache)
     */
    public Duration refillMaxAge() {
        return refillMaxAge;
    }

    private static Duration refillMaxAge(BillingCache cache) {
        Duration dirty = cache == null ? Duration.ZERO : cache.dirtyTtl();
        if (dirty == null || dirty.isNegative()) {
            throw new IllegalStateException("the cache's dirtyTtl() must be zero or more: " + dirty);
        }
        return dirty.dividedBy(2);
    }

    /** @return the requests-per-minute counter used when the cache did not count, or null */
    public RpmCounter rpmCounter() {
        return rpmCounter;
    }

    /** @return the balance store */
    public BalanceStore balances() {
        return balances;
    }

    /** @return the subscription store */
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    /** @return the platform quota store, or null when platform quotas are not checked */
    public PlatformQuotaStore platformQuotas() {
        return platformQuotas;
    }

    /** @return the window counter store of API key windows, or null */
    public WindowCounterStore windowCounters() {
        return windowCounters;
    }

    /** @return the user × group RPM override store, or null */
    public RpmOverrideStore rpmOverrides() {
        return rpmOverrides;
    }

    /** @return where recorded usage goes durably */
    public UsageSink usageSink() {
        return usageSink;
    }

    /** @return the clock and business zone */
    public QuotaTime time() {
        return time;
    }

    /** @return the only source of time */
    public Clock clock() {
        return time.clock();
    }

    /** @return the business zone of calendar windows */
    public ZoneId zone() {
        return time.zone();
    }

    /** @return true when every request is allowed without checks */
    public boolean simpleMode() {
        return simpleMode;
    }

    /** @return the known platforms, empty for any (unmodifiable) */
    public Set<String> platforms() {
        return platforms;
    }

    /** @return what each check does when neither cache nor store can answer (unmodifiable, every kind present) */
    public Map<CheckKind, FailurePolicy> policies() {
        return policies;
    }

    /** @return the cache-write workers */
    public int cacheWriteWorkers() {
        return cacheWriteWorkers;
    }

    /** @return the cache-write queue capacity */
    public int cacheWriteQueue() {
        return cacheWriteQueue;
    }

    /** @return the per-write timeout of the cache-write pool */
    public Duration cacheWriteTimeout() {
        return cacheWriteTimeout;
    }

    /** @return the minimum time between two dropped-write warnings */
    public Duration dropLogInterval() {
        return dropLogInterval;
    }

    /** @return how long a caller waits for a store load */
    public Duration loadTimeout() {
        return loadTimeout;
    }

    /** @return consecutive load failures that open the billing breaker */
    public int breakerFailureThreshold() {
        return breakerFailureThreshold;
    }

    /** @return how long the breaker stays open before probing */
    public Duration breakerResetTimeout() {
        return breakerResetTimeout;
    }

    /** @return probes let through while the breaker is half-open */
    public int breakerHalfOpenRequests() {
        return breakerHalfOpenRequests;
    }

    /** @return how long a hold lives unless settled, released or renewed */
    public Duration holdTimeout() {
        return holdTimeout;
    }

    /** @return the largest charge or estimate accepted for one request */
    public Money maxCharge() {
        return maxCharge;
    }

    /** @return the user × platform quota defaults that apply while the store holds none */
    public PlatformQuotaDefaults platformQuotaDefaults() {
        return platformQuotaDefaults;
    }

    /** @return the metrics callbacks */
    public QuotaListener listener() {
        return listener;
    }

    /** @return true when recorded usage reaches the cache through the write pool */
    public boolean asyncUsageWrites() {
        return asyncUsageWrites;
    }

    /** @return how often the stored platform quota defaults are read again */
    public Duration platformDefaultsRefresh() {
        return platformDefaultsRefresh;
    }

    /** @return the cache's outbox, or null (no acknowledgements, no drainer) */
    public UsageOutbox outbox() {
        return outbox;
    }

    /** @return how often the drainer looks for outbox entries left by dead instances */
    public Duration drainInterval() {
        return drainInterval;
    }

    /** @return how old an outbox entry must be before the drainer takes it; also a claim's lease */
    public Duration drainIdle() {
        return drainIdle;
    }
}
