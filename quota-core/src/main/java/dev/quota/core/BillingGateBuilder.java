package dev.quota.core;

import static dev.quota.core.internal.Require.between;
import static dev.quota.core.internal.Require.positive;

import dev.quota.core.internal.DefaultBillingGate;
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
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builder of a {@link BillingGate}, returned by {@link BillingGate#builder()} as {@link BillingGate.Builder};
 * every setter validates its argument at once, and {@link #build()} hands the gate an immutable
 * {@link GateConfig} (named accessors, no positional settings). Defaults follow the production gateways: 10
 * cache-write workers, a queue of 1000, 2 s per write, drop warnings at most every 5 s, 3 s store-load timeout,
 * breaker opening after 5 failures, probing after 30 s with 1 request, holds lapsing after 5 minutes, a maximum
 * charge of 10,000 units per request; the clock and zone of the usage sink, else UTC and the system clock. Not
 * thread-safe.
 *
 * @param <B> the type the setters return: {@link BillingGate.Builder}, the single subclass (so chains keep its name)
 */
public abstract sealed class BillingGateBuilder<B extends BillingGateBuilder<B>> permits BillingGate.Builder {
    BillingCache cache;
    RpmCounter rpmCounter;
    BalanceStore balances;
    SubscriptionStore subscriptions;
    PlatformQuotaStore platformQuotas;
    WindowCounterStore windowCounters;
    RpmOverrideStore rpmOverrides;
    UsageSink usageSink;
    QuotaTime time = QuotaTime.UTC;
    boolean clockSet;
    boolean zoneSet;
    boolean simpleMode;
    final Set<String> platforms = new LinkedHashSet<>();
    final Map<CheckKind, FailurePolicy> policies = new EnumMap<>(CheckKind.class);
    int cacheWriteWorkers = 10;
    int cacheWriteQueue = 1000;
    Duration cacheWriteTimeout = Duration.ofSeconds(2);
    Duration dropLogInterval = Duration.ofSeconds(5);
    Duration loadTimeout = Duration.ofSeconds(3);
    int breakerFailureThreshold = 5;
    Duration breakerResetTimeout = Duration.ofSeconds(30);
    int breakerHalfOpenRequests = 1;
    Duration holdTimeout = Duration.ofMinutes(5);
    Money maxCharge = Money.ofUnits(10_000);
    PlatformQuotaDefaults platformQuotaDefaults = PlatformQuotaDefaults.NONE;
    QuotaListener listener = QuotaListener.NONE;
    boolean asyncUsageWrites;
    UsageOutbox outbox;
    Duration drainInterval = Duration.ofSeconds(10);
    Duration drainIdle = Duration.ofSeconds(60);
    Duration platformDefaultsRefresh = Duration.ofSeconds(30);

    BillingGateBuilder() {
        for (CheckKind kind : CheckKind.values()) { // the billing checks fail closed, the limits open
            boolean billing = kind == CheckKind.BALANCE || kind == CheckKind.SUBSCRIPTION;
            policies.put(kind, billing ? FailurePolicy.FAIL_CLOSED : FailurePolicy.FAIL_OPEN);
        }
    }

    /**
     * @param cache the hot-path cache (optional: without one every read goes to the stores and
     *              {@link BillingGate#reserve} is unavailable)
     * @return this
     */
    public B cache(BillingCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return self();
    }

    /**
     * The requests-per-minute counter used when the cache did not count (optional: without one, RPM
     * limits apply only through the cache and fail open otherwise).
     *
     * @param counter the counter
     * @return this
     */
    public B rpmCounter(RpmCounter counter) {
        this.rpmCounter = Objects.requireNonNull(counter, "rpmCounter");
        return self();
    }

    /**
     * @param store the balance store (required)
     * @return this
     */
    public B balances(BalanceStore store) {
        this.balances = Objects.requireNonNull(store, "balances");
        return self();
    }

    /**
     * @param store the subscription store (required)
     * @return this
     */
    public B subscriptions(SubscriptionStore store) {
        this.subscriptions = Objects.requireNonNull(store, "subscriptions");
        return self();
    }

    /**
     * @param store the platform quota store (optional: without one platform quotas are not checked)
     * @return this
     */
    public B platformQuotas(PlatformQuotaStore store) {
        this.platformQuotas = Objects.requireNonNull(store, "platformQuotas");
        return self();
    }

    /**
     * @param store the window counter store holding API key windows (optional: without one key limits apply through the cache only)
     * @return this
     */
    public B windowCounters(WindowCounterStore store) {
        this.windowCounters = Objects.requireNonNull(store, "windowCounters");
        return self();
    }

    /**
     * @param store the user × group RPM override store (optional)
     * @return this
     */
    public B rpmOverrides(RpmOverrideStore store) {
        this.rpmOverrides = Objects.requireNonNull(store, "rpmOverrides");
        return self();
    }

    /**
     * @param sink where recorded usage goes durably (required)
     * @return this
     */
    public B usageSink(UsageSink sink) {
        this.usageSink = Objects.requireNonNull(sink, "usageSink");
        return self();
    }

    /**
     * @param clock the only source of time (default: the usage sink's, else system UTC); keeps the zone
     * @return this
     */
    public B clock(Clock clock) {
        this.time = time.withClock(Objects.requireNonNull(clock, "clock"));
        clockSet = true;
        return self();
    }

    /**
     * @param zone the business zone of calendar windows (default: the usage sink's, else UTC); keeps the clock
     * @return this
     */
    public B zone(ZoneId zone) {
        this.time = time.withZone(Objects.requireNonNull(zone, "zone"));
        zoneSet = true;
        return self();
    }

    /**
     * @param time the clock and business zone at once, the value the deployment's other parts get too (default
     *             {@link QuotaTime#UTC})
     * @return this
     */
    public B time(QuotaTime time) {
        this.time = Objects.requireNonNull(time, "time");
        clockSet = true;
        zoneSet = true;
        return self();
    }

    /**
     * @param simple true to allow every request without checks (default false)
     * @return this
     */
    public B simpleMode(boolean simple) {
        this.simpleMode = simple;
        return self();
    }

    /**
     * Restricts platforms to a known set; requests and events naming another platform are rejected with
     * {@link IllegalArgumentException}. Default: any platform.
     *
     * @param names the platform names, not blank
     * @return this
     */
    public B platforms(String... names) {
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("platform names must not be blank");
            }
            platforms.add(n);
        }
        return self();
    }

    /**
     * @param kind the check
     * @param policy what it does when neither cache nor store can answer
     * @return this
     */
    public B failurePolicy(CheckKind kind, FailurePolicy policy) {
        policies.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(policy, "policy"));
        return self();
    }

    /**
     * @param workers cache-write workers, 1 to 1000 (default 10)
     * @param queue queue capacity, 1 to 1,000,000 (default 1000)
     * @param taskTimeout per-write timeout, positive (default 2 s)
     * @return this
     */
    public B cacheWritePool(int workers, int queue, Duration taskTimeout) {
        int w = between(workers, 1, 1000, "workers"), q = between(queue, 1, 1_000_000, "queue");
        this.cacheWriteTimeout = positive(taskTimeout, "taskTimeout"); // the last check: nothing changed on a throw
        this.cacheWriteWorkers = w;
        this.cacheWriteQueue = q;
        return self();
    }

    /**
     * @param interval minimum time between two dropped-write warnings, positive (default 5 s)
     * @return this
     */
    public B dropLogInterval(Duration interval) {
        this.dropLogInterval = positive(interval, "dropLogInterval");
        return self();
    }

    /**
     * @param timeout how long a caller waits for a store load, positive (default 3 s)
     * @return this
     */
    public B loadTimeout(Duration timeout) {
        this.loadTimeout = positive(timeout, "loadTimeout");
        return self();
    }

    /**
     * @param failureThreshold consecutive load failures that open the breaker, at least 1 (default 5)
     * @param resetTimeout time open before probing, positive (default 30 s)
     * @param halfOpenRequests probes while half-open, at least 1 (default 1)
     * @return this
     */
    public B circuitBreaker(int failureThreshold, Duration resetTimeout, int halfOpenRequests) {
        int f = between(failureThreshold, 1, Integer.MAX_VALUE, "failureThreshold");
        int h = between(halfOpenRequests, 1, Integer.MAX_VALUE, "halfOpenRequests");
        this.breakerResetTimeout = positive(resetTimeout, "resetTimeout"); // the last check: nothing changed on a throw
        this.breakerFailureThreshold = f;
        this.breakerHalfOpenRequests = h;
        return self();
    }

    /**
     * @param timeout how long a hold lives unless settled or released, positive (default 5 min)
     * @return this
     */
    public B holdTimeout(Duration timeout) {
        this.holdTimeout = positive(timeout, "holdTimeout");
        return self();
    }

    /**
     * @param max the largest charge or estimate accepted for one request, positive (default 10,000 units)
     * @return this
     */
    public B maxCharge(Money max) {
        if (max == null || !max.isPositive()) {
            throw new IllegalArgumentException("maxCharge must be positive");
        }
        this.maxCharge = max;
        return self();
    }

    /**
     * The user × platform quota defaults that apply while the platform quota store holds none
     * ({@link PlatformQuotaDefaults#NONE}), or when no store is configured. Defaults stored with
     * {@link PlatformQuotaStore#replaceDefaults} (or {@link BillingGate#replacePlatformQuotaDefaults}) take
     * precedence, see {@link #platformDefaultsRefresh}.
     *
     * @param defaults user × platform quota defaults (default none)
     * @return this
     */
    public B platformQuotaDefaults(PlatformQuotaDefaults defaults) {
        this.platformQuotaDefaults = Objects.requireNonNull(defaults, "platformQuotaDefaults");
        return self();
    }

    /**
     * How often the gate reads the platform quota defaults from the {@link PlatformQuotaStore} again (on its
     * clock, in the background; callers keep the last value meanwhile, and a failed read keeps it too). A
     * change stored by any gateway instance reaches every gate within this interval (plus one read).
     *
     * @param refresh positive (default 30 s)
     * @return this
     */
    public B platformDefaultsRefresh(Duration refresh) {
        this.platformDefaultsRefresh = positive(refresh, "platformDefaultsRefresh");
        return self();
    }

    /**
     * Whether recorded usage reaches the cache through the write pool (asynchronously; when the queue is
     * full it runs on the caller's thread) instead of on the caller's thread. Default {@code false}: one
     * cache round trip per record on the caller's thread, so a request's usage is visible to the next
     * check at once and check-then-record overspends by at most the cost of the requests in flight.
     *
     * @param async true to queue usage writes
     * @return this
     */
    public B asyncUsageWrites(boolean async) {
        this.asyncUsageWrites = async;
        return self();
    }

    /**
     * The cache's outbox ({@code RedisQuota.usageOutbox()}, {@code InMemoryBillingCache.outbox()}): the gate
     * acknowledges the entries of usage the store settled, and its drainer stores the entries that instances
     * which died left behind. Without it (default) neither happens.
     *
     * @param outbox the outbox of the configured cache
     * @return this
     */
    public B outbox(UsageOutbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        return self();
    }

    /**
     * @param interval how often the drainer looks for outbox entries of dead instances (default 10 s, real time)
     * @return this
     * @throws IllegalArgumentException if null or not positive
     */
    public B drainInterval(Duration interval) {
        this.drainInterval = positive(interval, "drainInterval");
        return self();
    }

    /**
     * @param idle how old (by the gate's clock) an outbox entry must be before the drainer takes it as left
     *             by a dead instance (default 60 s); also the lease of a claimed entry. Keep it well above the
     *             usage writer's worst normal lag, or live instances' events are stored twice (harmless:
     *             the store is idempotent, but wasted work)
     * @return this
     * @throws IllegalArgumentException if null or not positive
     */
    public B drainIdle(Duration idle) {
        this.drainIdle = positive(idle, "drainIdle");
        return self();
    }

    /**
     * @param listener metrics callbacks (default none)
     * @return this
     */
    public B listener(QuotaListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * @return the gate, with its worker threads started
     * @throws IllegalStateException when a required store is missing, or the usage sink's zone differs from one set
     *         here (a clock or zone not set here is the usage sink's)
     */
    public BillingGate build() {
        if (balances == null || subscriptions == null || usageSink == null) {
            throw new IllegalStateException("balances, subscriptions and usageSink are required");
        }
        return new DefaultBillingGate(new GateConfig(this));
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
