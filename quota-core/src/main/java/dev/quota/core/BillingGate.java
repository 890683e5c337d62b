package dev.quota.core;

import dev.quota.core.decision.Decision;
import dev.quota.core.internal.DefaultBillingGate;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.money.Money;
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
 * The per-request service a gateway calls: {@link #check} before forwarding a request, {@link #record}
 * after it completed, or {@link #reserve} / {@link #settle} / {@link #release} for spending that must
 * never exceed a limit under concurrency.
 *
 * <p>It works through the ports only, so it runs the same on the in-memory testkit, on Redis + SQL, or on
 * any mix. Reads are cache-first with a store fallback: concurrent misses of one key collapse into one
 * store load that runs under its own timeout, detached from the callers; the cache is refilled
 * asynchronously through a bounded write pool. No entry of a user is refilled while usage this gate recorded
 * for that user is not yet settled by the usage sink ({@link dev.quota.core.spi.UsageSink.Progress}), so a
 * refill never lacks usage the cache did not count; a store read that overlapped a commit of that user's usage is
 * read again (at most three times within the load timeout) so that committed usage is not counted twice.
 * Expected outcomes are {@link Decision} values; only misuse (bad arguments) throws.
 *
 * <p>Instances are thread-safe; build one per process with {@link #builder()} and {@link #close()} it on
 * shutdown.
 *
 * <pre>{@code
 * BillingGate gate = BillingGate.builder()
 *     .cache(redis.billingCache()).rpmCounter(redis.rpmCounter())
 *     .balances(sql.balances()).subscriptions(sql.subscriptions())
 *     .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
 *     .rpmOverrides(sql.rpmOverrides()).usageSink(writer)
 *     .zone(ZoneId.of("Asia/Shanghai"))
 *     .build();
 * Decision d = gate.check(CheckRequest.builder(userId).platform("anthropic").build());
 * if (d.denied()) return respond(d.httpStatus(), d.reason().code(), d.retryAfterSeconds());
 * }</pre>
 */
public interface BillingGate extends AutoCloseable {

    /** @return a builder with the production gateways' defaults */
    static Builder builder() {
        return new Builder();
    }

    /**
     * May this request go ahead? Runs the checks in the order of {@link dev.quota.core.limit.EligibilityEvaluator};
     * the requests-per-minute counters are incremented only when every other check passed.
     *
     * @param request the request
     * @return the decision, never null
     * @throws IllegalArgumentException if {@code request} is null or names a platform that is not configured
     */
    Decision check(CheckRequest request);

    /**
     * Records what a request cost, exactly once per {@link dev.quota.core.usage.UsageKey} (user, request id), and
     * all or nothing: it takes full effect or throws and changes nothing.
     *
     * <p>Steps: validate the event; reserve a place in the usage sink ({@link UsageSink#reserve()}: a full sink
     * throws here, before anything changed); apply the usage to every cached counter it touches in one atomic
     * cache step, which also appends the event to the cache's outbox; hand it to the sink (asynchronous, never
     * fails). When the cache cannot take the event, it is stored synchronously instead (group commit: the call
     * returns after the store committed), so that it is never held in one place only; when the store cannot take
     * it either, the call throws {@link dev.quota.core.decision.BackendUnavailableException} and nothing is
     * charged anywhere (the sink never stores it later).
     *
     * <h4>Guarantees and their windows</h4>
     * <ul>
     *   <li><b>Durable hand-off.</b> Once {@code record} returns, the event is committed in the store, or held in
     *       two places until the store commits it: the sink's buffer (process memory) and the cache's outbox. A
     *       SIGKILL of the gateway loses the first copy; the drainer of any gateway instance stores the second
     *       one after {@link Builder#drainIdle} (default 60 s) plus at most {@link Builder#drainInterval}. An
     *       empty restart of the cache loses the second; the sink stores the first. Losing both before the store
     *       commits (the process and the cache's memory at once) loses the event: that window is the sink's lag
     *       (for a {@link dev.quota.core.BatchingUsageWriter}, its linger time plus one write).</li>
     *   <li><b>Exactly once; the store is the judge.</b> The store is idempotent by key. A replay the cache no
     *       longer recognises (after a restart, a refill or an eviction) is counted by the cache, refused by the
     *       store as a duplicate, and then every cache entry it touched is evicted: once the sink has drained,
     *       each cached counter equals the store or is absent. Window: from the cache step until the sink
     *       settles the replay, the cache overcounts it (a false denial, never an overspend).</li>
     *   <li><b>Poison isolation.</b> An event the store refuses as data is moved to the dead letters, reported
     *       through {@link QuotaListener#onUsageRejected}, counted in {@link GateMetrics#rejectedUsage()}, and its
     *       cached charge is evicted; it never holds up another event.</li>
     *   <li><b>Coherence after an outage.</b> Cache entries that could not take usage (and could not be evicted
     *       either) are owed an eviction, paid before this gate next uses the cache (and retried every second in
     *       the background), so none answers from its old value here. Other gateway instances may read such an
     *       entry until this one pays, at most the retry interval after the cache is back.</li>
     *   <li><b>Simple mode</b> logs the event as {@link dev.quota.core.usage.BillingMode#NONE}: ledger, roll-ups
     *       and statistics, no counter moves.</li>
     * </ul>
     * With {@link Builder#asyncUsageWrites asyncUsageWrites(true)} the cache step runs in the write pool: a cache
     * failure is then not turned into a synchronous store (the entries are evicted, the sink still stores the
     * event, but its outbox copy may be missing).
     *
     * @param event the usage
     * @throws IllegalArgumentException if {@code event} is null, its charge exceeds the configured maximum or
     *         its platform is not configured; nothing changes then
     * @throws dev.quota.core.decision.BackendUnavailableException when neither the sink (full) nor, with the cache
     *         down, the store could take the event; nothing changes then
     * @throws IllegalStateException after {@link #close()}
     */
    void record(dev.quota.core.usage.UsageEvent event);

    /**
     * Checks and holds an estimated cost atomically against every applicable limit
     * ({@code used + held + estimate <= cap}, and {@code balance - held - estimate >= 0}), so that concurrent
     * requests never spend beyond a limit. The hold lapses on its own after the configured hold time unless
     * {@link #renew renewed}.
     *
     * <p>Never "allowed, not held": when the cache cannot take the hold (it is down, or the user's entries are
     * dirty and cannot be refilled yet), the gate holds the estimate locally, in this process
     * ({@link Reservation#local()}), after evaluating the same hold rules against the stores' values plus the
     * usage this gate recorded that the stores lack, the holds the cache reported and this gate's other live
     * local holds; when that does not fit it denies. Bound: a local hold is invisible to other gateway
     * instances, so across N instances reserving for one user while the cache cannot hold, up to N local
     * admissions may share the same room (each instance alone never admits beyond a cap). While a user has
     * local holds, this gate refills none of that user's cache entries.
     *
     * @param request the request
     * @param estimate the estimated cost, not negative, at most the configured maximum charge
     * @return the reservation
     * @throws IllegalArgumentException on a null request or estimate, a negative or absurd estimate
     * @throws IllegalStateException when the gate has no cache (holds live in the cache)
     */
    Reservation reserve(CheckRequest request, Money estimate);

    /**
     * Keeps a long request's hold alive: extends it to the configured hold time from now, in one cache round
     * trip (or locally for a {@link Reservation#local() local} hold). A hold renewed before it lapses never
     * lapses while it keeps being renewed. Renewing a reservation that holds nothing, or whose hold was settled,
     * released or has lapsed, changes nothing.
     *
     * @param reservation the reservation
     * @return the reservation with its new expiry; {@code reservation} itself when it holds nothing (or was
     *     renewed within the same millisecond); a copy that is not {@link Reservation#held() held} when the hold
     *     is gone (settled, released or lapsed)
     * @throws IllegalArgumentException if {@code reservation} is null
     * @throws dev.quota.core.decision.BackendUnavailableException when the cache cannot be reached (the hold
     *     keeps its previous expiry)
     * @throws IllegalStateException after {@link #close()}
     */
    Reservation renew(Reservation reservation);

    /**
     * Converts a hold into recorded usage (the actual cost of {@code event}) and drops it. Idempotent by
     * hold id and by the event's key. All or nothing with the same steps and guarantees as {@link #record}.
     *
     * @param reservation the reservation
     * @param event the actual usage; its user must own the reservation
     * @throws IllegalArgumentException on null arguments, a denied reservation or a user mismatch
     * @throws dev.quota.core.decision.BackendUnavailableException as {@link #record} does; nothing changes then
     */
    void settle(Reservation reservation, dev.quota.core.usage.UsageEvent event);

    /**
     * Drops a hold without usage. Idempotent.
     *
     * @param reservation the reservation
     * @throws IllegalArgumentException if {@code reservation} is null
     */
    void release(Reservation reservation);

    /**
     * Replaces the user × platform quota defaults as a whole: stores them with
     * {@link PlatformQuotaStore#replaceDefaults} (when a platform quota store is configured) and applies them in
     * this gate at once; other gates apply them within their {@link Builder#platformDefaultsRefresh refresh
     * interval}. Cached entries keep the limits they were built with until they expire (the cache TTL) or are
     * evicted.
     *
     * @param defaults the new defaults
     * @throws IllegalArgumentException if {@code defaults} is null
     * @throws dev.quota.core.decision.BackendUnavailableException when the store fails; nothing changed then
     */
    void replacePlatformQuotaDefaults(PlatformQuotaDefaults defaults);

    /**
     * Balance, subscription and limit changes that keep the cache coherent: a top-up made through it is seen by
     * the very next check. See {@link BillingAdmin}.
     *
     * @return this gate's admin operations (the same instance on every call)
     */
    BillingAdmin admin();

    /** @return counters of the gate's background work, for monitoring and tests */
    GateMetrics metrics();

    /**
     * Probes the gate's health for a readiness or liveness probe: pings the cache and the balance and subscription
     * stores (ports that implement {@link dev.quota.core.spi.Pingable}; in parallel, each bounded by the
     * {@link Builder#loadTimeout load timeout}) and reports them with the breaker state and the usage pipeline's
     * lag and dead letters. The overall status follows the rules in {@link Health}. The gate also pings once when
     * it is built and logs a WARN for a backend that does not answer. Thread-safe; costs one round trip per
     * backend, so call it from a probe, not per request.
     *
     * @return the health now
     * @throws IllegalStateException after {@link #close()}
     */
    Health health();

    /**
     * Waits until every queued cache write has run, the usage sink is flushed, the outbox entries of settled
     * usage are acknowledged (as far as the cache answers), and a background reload of the platform quota
     * defaults, when one is running, has finished.
     */
    void flush();

    /**
     * Stops the outbox drainer, drains pending cache writes, flushes and closes the usage sink and acknowledges
     * what it settled. Idempotent.
     */
    @Override
    void close();

    /**
     * Counters of the gate's background work.
     *
     * @param droppedCacheWrites refills dropped because the write queue was full
     * @param synchronousCacheWrites critical writes run on the caller's thread because the queue was full
     * @param failedCacheWrites cache writes that failed
     * @param timedOutCacheWrites cache writes interrupted for overrunning the per-task timeout
     * @param breakerState the billing circuit breaker's state
     * @param rejectedUsage recorded events the store refused as data (moved to its dead letters)
     * @param synchronousStores records stored synchronously because the cache could not take them
     * @param acknowledgedUsage outbox entries acknowledged after the store settled their events
     * @param drainedUsage outbox entries of other (dead) instances this gate's drainer stored
     * @param owedEvictions cache entries that missed usage during an outage and are not evicted yet
     */
    record GateMetrics(long droppedCacheWrites, long synchronousCacheWrites, long failedCacheWrites,
                       long timedOutCacheWrites, QuotaListener.BreakerState breakerState, long rejectedUsage,
                       long synchronousStores, long acknowledgedUsage, long drainedUsage, long owedEvictions) {
    }

    /**
     * Builder of a {@link BillingGate}; every setter validates its argument at once. Defaults follow the
     * production gateways: 10 cache-write workers, a queue of 1000, 2 s per write, drop warnings at most every
     * 5 s, 3 s store-load timeout, breaker opening after 5 failures, probing after 30 s with 1 request, holds
     * lapsing after 5 minutes, a maximum charge of 10,000 units per request, the UTC zone and the system clock.
     * Not thread-safe.
     */
    final class Builder {
        private BillingCache cache;
        private RpmCounter rpmCounter;
        private BalanceStore balances;
        private SubscriptionStore subscriptions;
        private PlatformQuotaStore platformQuotas;
        private WindowCounterStore windowCounters;
        private RpmOverrideStore rpmOverrides;
        private UsageSink usageSink;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneId.of("UTC");
        private boolean simpleMode;
        private final Set<String> platforms = new LinkedHashSet<>();
        private final Map<CheckKind, FailurePolicy> policies = new EnumMap<>(CheckKind.class);
        private int cacheWriteWorkers = 10;
        private int cacheWriteQueue = 1000;
        private Duration cacheWriteTimeout = Duration.ofSeconds(2);
        private Duration dropLogInterval = Duration.ofSeconds(5);
        private Duration loadTimeout = Duration.ofSeconds(3);
        private int breakerFailureThreshold = 5;
        private Duration breakerResetTimeout = Duration.ofSeconds(30);
        private int breakerHalfOpenRequests = 1;
        private Duration holdTimeout = Duration.ofMinutes(5);
        private Money maxCharge = Money.ofUnits(10_000);
        private PlatformQuotaDefaults platformQuotaDefaults = PlatformQuotaDefaults.NONE;
        private QuotaListener listener = QuotaListener.NONE;
        private boolean asyncUsageWrites;
        private UsageOutbox outbox;
        private Duration drainInterval = Duration.ofSeconds(10);
        private Duration drainIdle = Duration.ofSeconds(60);
        private Duration platformDefaultsRefresh = Duration.ofSeconds(30);

        private Builder() {
            policies.put(CheckKind.BALANCE, FailurePolicy.FAIL_CLOSED);
            policies.put(CheckKind.SUBSCRIPTION, FailurePolicy.FAIL_CLOSED);
            policies.put(CheckKind.PLATFORM_QUOTA, FailurePolicy.FAIL_OPEN);
            policies.put(CheckKind.API_KEY, FailurePolicy.FAIL_OPEN);
            policies.put(CheckKind.RPM, FailurePolicy.FAIL_OPEN);
        }

        /**
         * The hot-path cache (optional: without one every read goes to the stores and {@link #reserve} is
         * unavailable).
         *
         * @param cache the cache
         * @return this
         */
        public Builder cache(BillingCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The requests-per-minute counter used when the cache did not count (optional: without one, RPM
         * limits apply only through the cache and fail open otherwise).
         *
         * @param counter the counter
         * @return this
         */
        public Builder rpmCounter(RpmCounter counter) {
            this.rpmCounter = Objects.requireNonNull(counter, "rpmCounter");
            return this;
        }

        /**
         * @param store the balance store (required)
         * @return this
         */
        public Builder balances(BalanceStore store) {
            this.balances = Objects.requireNonNull(store, "balances");
            return this;
        }

        /**
         * @param store the subscription store (required)
         * @return this
         */
        public Builder subscriptions(SubscriptionStore store) {
            this.subscriptions = Objects.requireNonNull(store, "subscriptions");
            return this;
        }

        /**
         * @param store the platform quota store (optional: without one platform quotas are not checked)
         * @return this
         */
        public Builder platformQuotas(PlatformQuotaStore store) {
            this.platformQuotas = Objects.requireNonNull(store, "platformQuotas");
            return this;
        }

        /**
         * @param store the window counter store holding API key windows (optional: without one key limits apply through the cache only)
         * @return this
         */
        public Builder windowCounters(WindowCounterStore store) {
            this.windowCounters = Objects.requireNonNull(store, "windowCounters");
            return this;
        }

        /**
         * @param store the user × group RPM override store (optional)
         * @return this
         */
        public Builder rpmOverrides(RpmOverrideStore store) {
            this.rpmOverrides = Objects.requireNonNull(store, "rpmOverrides");
            return this;
        }

        /**
         * @param sink where recorded usage goes durably (required)
         * @return this
         */
        public Builder usageSink(UsageSink sink) {
            this.usageSink = Objects.requireNonNull(sink, "usageSink");
            return this;
        }

        /**
         * @param clock the only source of time (default: system UTC)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param zone the business zone of calendar windows (default UTC)
         * @return this
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * @param simple true to allow every request without checks (default false)
         * @return this
         */
        public Builder simpleMode(boolean simple) {
            this.simpleMode = simple;
            return this;
        }

        /**
         * Restricts platforms to a known set; requests and events naming another platform are rejected with
         * {@link IllegalArgumentException}. Default: any platform.
         *
         * @param names the platform names, not blank
         * @return this
         */
        public Builder platforms(String... names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException("platform names must not be blank");
                }
                platforms.add(n);
            }
            return this;
        }

        /**
         * @param kind the check
         * @param policy what it does when neither cache nor store can answer
         * @return this
         */
        public Builder failurePolicy(CheckKind kind, FailurePolicy policy) {
            policies.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * @param workers cache-write workers, 1 to 1000 (default 10)
         * @param queue queue capacity, 1 to 1,000,000 (default 1000)
         * @param taskTimeout per-write timeout, positive (default 2 s)
         * @return this
         */
        public Builder cacheWritePool(int workers, int queue, Duration taskTimeout) {
            if (workers < 1 || workers > 1000) {
                throw new IllegalArgumentException("workers must be between 1 and 1000: " + workers);
            }
            if (queue < 1 || queue > 1_000_000) {
                throw new IllegalArgumentException("queue must be between 1 and 1000000: " + queue);
            }
            this.cacheWriteWorkers = workers;
            this.cacheWriteQueue = queue;
            this.cacheWriteTimeout = positive(taskTimeout, "taskTimeout");
            return this;
        }

        /**
         * @param interval minimum time between two dropped-write warnings, positive (default 5 s)
         * @return this
         */
        public Builder dropLogInterval(Duration interval) {
            this.dropLogInterval = positive(interval, "dropLogInterval");
            return this;
        }

        /**
         * @param timeout how long a caller waits for a store load, positive (default 3 s)
         * @return this
         */
        public Builder loadTimeout(Duration timeout) {
            this.loadTimeout = positive(timeout, "loadTimeout");
            return this;
        }

        /**
         * @param failureThreshold consecutive load failures that open the breaker, at least 1 (default 5)
         * @param resetTimeout time open before probing, positive (default 30 s)
         * @param halfOpenRequests probes while half-open, at least 1 (default 1)
         * @return this
         */
        public Builder circuitBreaker(int failureThreshold, Duration resetTimeout, int halfOpenRequests) {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1: " + failureThreshold);
            }
            if (halfOpenRequests < 1) {
                throw new IllegalArgumentException("halfOpenRequests must be at least 1: " + halfOpenRequests);
            }
            this.breakerFailureThreshold = failureThreshold;
            this.breakerResetTimeout = positive(resetTimeout, "resetTimeout");
            this.breakerHalfOpenRequests = halfOpenRequests;
            return this;
        }

        /**
         * @param timeout how long a hold lives unless settled or released, positive (default 5 min)
         * @return this
         */
        public Builder holdTimeout(Duration timeout) {
            this.holdTimeout = positive(timeout, "holdTimeout");
            return this;
        }

        /**
         * @param max the largest charge or estimate accepted for one request, positive (default 10,000 units)
         * @return this
         */
        public Builder maxCharge(Money max) {
            if (max == null || !max.isPositive()) {
                throw new IllegalArgumentException("maxCharge must be positive");
            }
            this.maxCharge = max;
            return this;
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
        public Builder platformQuotaDefaults(PlatformQuotaDefaults defaults) {
            this.platformQuotaDefaults = Objects.requireNonNull(defaults, "platformQuotaDefaults");
            return this;
        }

        /**
         * How often the gate reads the platform quota defaults from the {@link PlatformQuotaStore} again (on its
         * clock, in the background; callers keep the last value meanwhile, and a failed read keeps it too). A
         * change stored by any gateway instance reaches every gate within this interval (plus one read).
         *
         * @param refresh positive (default 30 s)
         * @return this
         */
        public Builder platformDefaultsRefresh(Duration refresh) {
            this.platformDefaultsRefresh = positive(refresh, "platformDefaultsRefresh");
            return this;
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
        public Builder asyncUsageWrites(boolean async) {
            this.asyncUsageWrites = async;
            return this;
        }

        /**
         * The cache's outbox ({@code RedisQuota.usageOutbox()}, {@code InMemoryBillingCache.outbox()}): the gate
         * acknowledges the entries of usage the store settled, and its drainer stores the entries that instances
         * which died left behind. Without it (default) neither happens.
         *
         * @param outbox the outbox of the configured cache
         * @return this
         */
        public Builder outbox(UsageOutbox outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            return this;
        }

        /**
         * @param interval how often the drainer looks for outbox entries left by dead instances (default 10 s,
         *                 real time)
         * @return this
         * @throws IllegalArgumentException if null or not positive
         */
        public Builder drainInterval(Duration interval) {
            this.drainInterval = positive(interval, "drainInterval");
            return this;
        }

        /**
         * @param idle how old (by the gate's clock) an outbox entry must be before the drainer takes it as left
         *             by a dead instance (default 60 s); also the lease of a claimed entry. Keep it well above the
         *             usage writer's worst normal lag, or live instances' events are stored twice (harmless:
         *             the store is idempotent, but wasted work)
         * @return this
         * @throws IllegalArgumentException if null or not positive
         */
        public Builder drainIdle(Duration idle) {
            this.drainIdle = positive(idle, "drainIdle");
            return this;
        }

        /**
         * @param listener metrics callbacks (default none)
         * @return this
         */
        public Builder listener(QuotaListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the gate, with its worker threads started
         * @throws IllegalStateException when a required store is missing
         */
        public BillingGate build() {
            if (balances == null || subscriptions == null || usageSink == null) {
                throw new IllegalStateException("balances, subscriptions and usageSink are required");
            }
            usageSink.zone().filter(z -> !z.equals(zone)).ifPresent(z -> {
                throw new IllegalStateException("the usage sink rolls windows in " + z + " but the gate in " + zone
                        + ": give both the same business zone (BillingGate.Builder.zone and the writer's or"
                        + " JdbcQuota.Builder.zone), or the cache and SQL reset daily windows at different midnights");
            });
            return new DefaultBillingGate(new DefaultBillingGate.Settings(cache, rpmCounter, balances, subscriptions,
                    platformQuotas, windowCounters, rpmOverrides, usageSink, clock, zone, simpleMode,
                    Set.copyOf(platforms), Map.copyOf(policies), cacheWriteWorkers, cacheWriteQueue,
                    cacheWriteTimeout, dropLogInterval, loadTimeout, breakerFailureThreshold, breakerResetTimeout,
                    breakerHalfOpenRequests, holdTimeout, maxCharge, platformQuotaDefaults, listener, asyncUsageWrites,
                    platformDefaultsRefresh),
                    new DefaultBillingGate.RecordSettings(outbox, drainInterval, drainIdle));
        }

        private static Duration positive(Duration d, String field) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(field + " must be positive: " + d);
            }
            return d;
        }
    }
}
