package dev.quota.core.internal;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.FailurePolicy;
import dev.quota.core.QuotaListener;
import dev.quota.core.Reservation;
import dev.quota.core.decision.BackendUnavailableException;
import dev.quota.core.decision.Decision;
import dev.quota.core.decision.DenyReason;
import dev.quota.core.decision.InvalidDataException;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.BillingState;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.RpmScope;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.money.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BillingGate} implementation. Unsupported API: build it with {@link BillingGate#builder()}.
 */
public final class DefaultBillingGate implements BillingGate {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultBillingGate.class);
    /** A balance that never denies: stands in for an unreadable balance under {@link FailurePolicy#FAIL_OPEN}. */
    private static final Money OPEN_BALANCE = Money.MAX;
    /** How long a looked-up RPM override is reused before it is read from the store again. */
    private static final Duration OVERRIDE_TTL = Duration.ofSeconds(60);
    /** Overrides kept in process; the map is emptied when it reaches this size. */
    private static final int OVERRIDE_CACHE_SIZE = 100_000;
    /** Store reads of one answer at most, when reads overlap commits of the user's usage. */
    private static final int MAX_READS = 3;

    /**
     * Everything the builder collected.
     *
     * @param cache cache or null
     * @param rpmCounter counter or null
     * @param balances balance store
     * @param subscriptions subscription store
     * @param platformQuotas platform quota store or null
     * @param windowCounters window counter store or null
     * @param rpmOverrides override store or null
     * @param usageSink usage sink
     * @param clock clock
     * @param zone zone
     * @param simpleMode simple mode
     * @param platforms known platforms, empty for any
     * @param policies failure policies
     * @param cacheWriteWorkers workers
     * @param cacheWriteQueue queue
     * @param cacheWriteTimeout per-task timeout
     * @param dropLogInterval drop log interval
     * @param loadTimeout load timeout
     * @param breakerFailureThreshold breaker threshold
     * @param breakerResetTimeout breaker reset timeout
     * @param breakerHalfOpenRequests breaker probes
     * @param holdTimeout hold lifetime
     * @param maxCharge maximum charge
     * @param platformQuotaDefaults platform defaults
     * @param listener listener
     * @param asyncUsageWrites queue usage writes to the cache
     * @param platformDefaultsRefresh how often the stored platform quota defaults are read again
     */
    public record Settings(BillingCache cache, RpmCounter rpmCounter, BalanceStore balances,
                           SubscriptionStore subscriptions, PlatformQuotaStore platformQuotas,
                           WindowCounterStore windowCounters, RpmOverrideStore rpmOverrides, UsageSink usageSink,
                           Clock clock, ZoneId zone, boolean simpleMode, Set<String> platforms,
                           Map<CheckKind, FailurePolicy> policies, int cacheWriteWorkers, int cacheWriteQueue,
                           Duration cacheWriteTimeout, Duration dropLogInterval, Duration loadTimeout,
                           int breakerFailureThreshold, Duration breakerResetTimeout, int breakerHalfOpenRequests,
                           Duration holdTimeout, Money maxCharge, PlatformQuotaDefaults platformQuotaDefaults,
                           QuotaListener listener, boolean asyncUsageWrites, Duration platformDefaultsRefresh) {
    }

    private final Settings s;
    private final EligibilityEvaluator evaluator;
    private final CacheWritePool pool;
    private final BillingBreaker breaker;
    private final ExecutorService loaders;
    private final SingleFlight<String> singleFlight;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentHashMap<String, CachedOverride> overrides = new ConcurrentHashMap<>();
    /** Usage handed to the sink and not settled yet, per user (see {@link #read}). */
    private final UnsettledUsage unsettled = new UnsettledUsage();
    /** Holds taken in this process when the cache could not take them (see {@link #holdLocally}). */
    private final LocalHolds localHolds = new LocalHolds();
    private final PlatformDefaults defaults;

    /**
     * @param settings the settings
     */
    public DefaultBillingGate(Settings settings) {
        this.s = settings;
        this.evaluator = EligibilityEvaluator.inZone(settings.zone());
        this.pool = new CacheWritePool(settings.cacheWriteWorkers(), settings.cacheWriteQueue(),
                settings.cacheWriteTimeout(), settings.dropLogInterval(), settings.clock(), settings.listener());
        this.breaker = new BillingBreaker(settings.breakerFailureThreshold(), settings.breakerResetTimeout(),
                settings.breakerHalfOpenRequests(), settings.clock(), settings.listener());
        this.loaders = Executors.newCachedThreadPool(Threads.daemon("quota-load"));
        this.singleFlight = new SingleFlight<>(loaders, settings.loadTimeout());
        this.defaults = new PlatformDefaults(settings.platformQuotas(), settings.platformQuotaDefaults(),
                settings.platformDefaultsRefresh(), settings.loadTimeout(), settings.clock(), loaders);
    }

    // ------------------------------------------------------------------ check

    @Override
    public Decision check(CheckRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        requireKnownPlatform(request.platform());
        Decision d = decide(request);
        Listeners.safely(() -> s.listener().onDecision(request, d));
        return d;
    }

    private Decision decide(CheckRequest request) {
        if (s.simpleMode()) {
            return Decision.allow();
        }
        if (!breaker.tryAcquire()) {
            return Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
        }
        BreakerCall call = new BreakerCall();
        try {
            return decideWithPermit(request, call, true);
        } catch (InvalidDataException e) {
            return invalidData(request, e);
        } finally {
            call.finish();
        }
    }

    /**
     * A row of the user cannot be decoded: that user's problem, never an outage (the breaker counts the call
     * as a success, see {@link BreakerCall#finish}).
     */
    private static Decision invalidData(CheckRequest request, InvalidDataException e) {
        LOG.error("billing data of user {} cannot be decoded: {}", request.userId(), e.getMessage());
        return Decision.deny(DenyReason.BILLING_DATA_INVALID);
    }

    /**
     * The check once the breaker let it through; {@code call} answers the breaker's permit. Without
     * {@code useCache} (the cache just failed) it goes to the stores directly, as on a cache failure.
     */
    private Decision decideWithPermit(CheckRequest request, BreakerCall call, boolean useCache) {
        Instant now = now();
        RpmPlan plan = evaluator.rpmPlan(request, resolveOverride(request, now));
        CacheCheck cacheCheck = new CacheCheck(request, plan, now, s.zone());
        CheckView view = null;
        if (s.cache() != null && useCache) {
            try {
                view = s.cache().check(cacheCheck);
            } catch (BackendUnavailableException e) {
                fallback(request.subscriptionMode() ? CheckKind.SUBSCRIPTION : CheckKind.BALANCE, e);
            }
        }
        Loaded loaded = assemble(request, cacheCheck, view, view != null, false, call);
        if (loaded.failure != null) {
            return loaded.failure;
        }
        Decision billing = evaluator.evaluateBilling(request, loaded.state, now);
        if (billing.denied() || plan.isEmpty()) {
            return billing;
        }
        if (view != null && view.rpmCounted()) {
            CheckView counted = view;
            return evaluator.evaluateRpm(plan,
                    scope -> scope == RpmScope.GROUP ? counted.groupRpmCount() : counted.userRpmCount(), now);
        }
        return countRpm(request, plan, now);
    }

    private Decision countRpm(CheckRequest request, RpmPlan plan, Instant now) {
        if (s.rpmCounter() == null) {
            return failurePolicy(CheckKind.RPM, new BackendUnavailableException("no RPM counter configured"));
        }
        Instant bucket = QuotaWindows.RPM.bucketStart(now);
        try {
            return evaluator.evaluateRpm(plan, scope -> s.rpmCounter().increment(request.userId(),
                    scope == RpmScope.GROUP ? request.groupId() : null, bucket), now);
        } catch (BackendUnavailableException e) {
            return failurePolicy(CheckKind.RPM, e);
        }
    }

    private Decision failurePolicy(CheckKind kind, BackendUnavailableException e) {
        fallback(kind, e);
        return s.policies().get(kind) == FailurePolicy.FAIL_CLOSED
                ? Decision.deny(DenyReason.BILLING_SERVICE_ERROR) : Decision.allow();
    }

    /** What was found in the cache and loaded from the stores, or the decision of a failed load. */
    private record Loaded(BillingState state, Decision failure) {
    }

    /** Tracks whether a half-open permit was answered with a success or a failure. */
    private final class BreakerCall {
        private boolean recorded;

        void success() {
            if (!recorded) {
                recorded = true;
                breaker.success();
            }
        }

        void failure() {
            if (!recorded) {
                recorded = true;
                breaker.failure();
            }
        }

        void finish() {
            // A call that never read a balance or subscription still returns its permit.
            success();
        }
    }

    /**
     * Merges the cache view with store reads of every needed entry the view lacks, adding the user's unsettled
     * usage to what the stores returned. A read that overlapped a commit of the user's usage is read again
     * (at most {@link #MAX_READS} times, waiting for the commit, within the load timeout) and then answered
     * conservatively: every unsettled event added, which errs on denying. A refill is queued when the cache
     * answered ({@code refill}) and the reads were exact while the user had no unsettled usage; {@code syncRefill}
     * writes it on this thread (reservations need the entry in place before retrying).
     */
    private Loaded assemble(CheckRequest request, CacheCheck check, CheckView view, boolean refill, boolean syncRefill,
                            BreakerCall call) {
        long userId = request.userId();
        long deadline = System.nanoTime() + s.loadTimeout().toNanos();
        boolean last = false;
        for (int attempt = 1; ; attempt++) {
            last |= attempt >= MAX_READS;
            Gathered g = gather(request, check, view, call, attempt == 1);
            if (g.failure != null) {
                return new Loaded(null, g.failure);
            }
            UnsettledUsage.View v = unsettled.view(userId);
            boolean exact = g.exact(v);
            if (exact || last) {
                if (!exact) {
                    LOG.debug("store reads of user {} overlapped commits of its usage: answering conservatively", userId);
                }
                if (refill && exact && v.quiet()) {
                    g.refill(syncRefill);
                }
                return new Loaded(g.state(v.events()), null);
            }
            last = !awaitCommits(userId, deadline);
        }
    }

    /** @return false when the user's commits did not finish by the deadline (or the wait was interrupted) */
    private boolean awaitCommits(long userId, long deadline) {
        try {
            return unsettled.awaitCommits(userId, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Entries the cache view holds and raw store reads of the entries it lacks (or fail-open stand-ins), before
     * the user's unsettled usage is added.
     */
    private final class Gathered {
        private final CheckRequest request;
        private Money balance;
        private SubscriptionState sub;
        private PlatformQuotaRecord platform;
        private KeyUsage key;
        private StoreRead<Money> balanceRead;
        private StoreRead<Optional<SubscriptionState>> subRead;
        private StoreRead<PlatformQuotaRecord> platformRead;
        private StoreRead<KeyUsage> keyRead;
        private Decision failure;

        Gathered(CheckRequest request) {
            this.request = request;
        }

        /** @return true when every store read is exact with respect to {@code v} */
        boolean exact(UnsettledUsage.View v) {
            return exact(balanceRead, v) && exact(subRead, v) && exact(platformRead, v) && exact(keyRead, v);
        }

        private static boolean exact(StoreRead<?> read, UnsettledUsage.View v) {
            return read == null || UnsettledUsage.exact(read.mark(), v);
        }

        /** @return the state, with {@code unstored} added to what the stores returned (as the store will: now) */
        BillingState state(List<UsageEvent> unstored) {
            Money bal = balanceRead == null ? balance : balanceRead.value()
                    .minus(Money.ofNanos(charged(unstored, DefaultBillingGate::balanceMode)));
            SubscriptionState subscription = subRead == null ? sub : subRead.value().map(stored -> {
                long groupId = request.groupId();
                long cost = charged(unstored, e -> subscriptionMode(e) && e.groupId() != null && e.groupId() == groupId);
                return cost == 0 ? stored : stored.addUsage(cost, now());
            }).orElse(null);
            PlatformQuotaRecord pq = platform;
            if (platformRead != null) {
                String name = request.platform();
                long cost = charged(unstored, e -> balanceMode(e) && name.equals(e.platform()));
                PlatformQuotaRecord stored = platformRead.value();
                pq = withEffectiveLimits(cost == 0 ? stored : stored.addUsage(cost, now(), s.zone()));
            }
            KeyUsage k = key;
            if (keyRead != null) {
                long keyId = request.apiKeyId();
                long cost = charged(unstored, e -> countsInKeyWindows(e) && e.apiKeyId() != null && e.apiKeyId() == keyId);
                k = cost == 0 ? keyRead.value() : keyRead.value().addUsage(cost, now());
            }
            return new BillingState(bal, subscription, pq, pq == null ? null : pq.limits(), k);
        }

        /** Refills the cache with the raw reads (exact, and the user had no unsettled usage). */
        void refill(boolean sync) {
            long userId = request.userId();
            if (balanceRead != null) {
                Money value = balanceRead.value();
                DefaultBillingGate.this.refill("refill balance of user " + userId, userId, sync,
                        () -> s.cache().putBalance(userId, value));
            }
            if (subRead != null && subRead.value().isPresent()) {
                SubscriptionState value = subRead.value().get();
                DefaultBillingGate.this.refill("refill subscription of user " + userId, userId, sync,
                        () -> s.cache().putSubscription(value));
            }
            if (platformRead != null) {
                PlatformQuotaRecord value = withEffectiveLimits(platformRead.value());
                DefaultBillingGate.this.refill("refill platform quota of user " + userId, userId, sync,
                        () -> s.cache().putPlatformQuota(value));
            }
            if (keyRead != null) {
                KeyUsage value = keyRead.value();
                DefaultBillingGate.this.refill("refill api key " + value.apiKeyId(), userId, sync,
                        () -> s.cache().putKeyUsage(value));
            }
        }

        private PlatformQuotaRecord withEffectiveLimits(PlatformQuotaRecord stored) {
            return stored.withLimits(stored.limits() != null ? stored.limits()
                    : platformDefaults().resolve(request.authSource(), request.platform()));
        }
    }

    /**
     * Takes the entries the view has and reads the others from the stores, applying the failure policies.
     * {@code notify} tells the listener about hits and misses (on the first of several reads only).
     *
     * @throws InvalidDataException when a store read found a row of the user it cannot decode
     */
    private Gathered gather(CheckRequest request, CacheCheck check, CheckView view, BreakerCall call, boolean notify) {
        Gathered g = new Gathered(request);
        for (CacheEntryKind kind : check.neededEntries()) {
            boolean hit = view != null && !view.misses().contains(kind);
            CheckKind checkKind = checkKind(kind);
            if (notify && hit) {
                Listeners.safely(() -> s.listener().onCacheHit(checkKind));
            } else if (notify && view != null) {
                Listeners.safely(() -> s.listener().onCacheMiss(checkKind));
            }
            try {
                switch (kind) {
                    case BALANCE -> {
                        if (hit) {
                            g.balance = view.balance();
                        } else {
                            g.balanceRead = readBalance(request.userId());
                        }
                        call.success();
                    }
                    case SUBSCRIPTION -> {
                        if (hit) {
                            g.sub = view.subscription();
                        } else {
                            g.subRead = readSubscription(request);
                        }
                        call.success();
                    }
                    case PLATFORM_QUOTA -> {
                        if (hit) {
                            g.platform = view.platformQuota();
                        } else {
                            g.platformRead = readPlatform(request);
                        }
                    }
                    case KEY_USAGE -> {
                        if (hit) {
                            g.key = view.keyUsage();
                        } else {
                            g.keyRead = readKeyUsage(request);
                        }
                    }
                    default -> throw new IllegalStateException(kind.name());
                }
            } catch (BackendUnavailableException e) {
                boolean billing = checkKind == CheckKind.BALANCE || checkKind == CheckKind.SUBSCRIPTION;
                if (billing) {
                    call.failure();
                    LOG.error("ALERT: billing {} load failed for user {}: {}", checkKind, request.userId(), e.toString());
                }
                fallback(checkKind, e);
                if (s.policies().get(checkKind) == FailurePolicy.FAIL_CLOSED) {
                    g.failure = Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
                    return g;
                }
                // Fail open: stand-ins that never deny this check.
                switch (kind) {
                    case BALANCE -> g.balance = OPEN_BALANCE;
                    case SUBSCRIPTION -> g.sub = new SubscriptionState(request.userId(), request.groupId(),
                            SubscriptionStatus.ACTIVE, Instant.MAX, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
                    default -> {
                        // platform quota and key usage: unknown usage is skipped
                    }
                }
            }
        }
        return g;
    }

    private static CheckKind checkKind(CacheEntryKind kind) {
        return switch (kind) {
            case BALANCE -> CheckKind.BALANCE;
            case SUBSCRIPTION -> CheckKind.SUBSCRIPTION;
            case PLATFORM_QUOTA -> CheckKind.PLATFORM_QUOTA;
            case KEY_USAGE -> CheckKind.API_KEY;
        };
    }

    /**
     * A raw store read shared by every caller of one single flight, and the mark of the user's unsettled usage
     * taken as it began. Each caller adds the unsettled usage it sees once the read returned (so a caller that
     * joined a read already in flight still counts usage recorded before it began).
     */
    private record StoreRead<T>(T value, UnsettledUsage.Mark mark) {
    }

    private <T> StoreRead<T> read(long userId, String key, Supplier<T> loader) {
        return singleFlight.load(key, () -> {
            UnsettledUsage.Mark mark = unsettled.mark(userId);
            return new StoreRead<>(loader.get(), mark);
        });
    }

    /** @return the sum of the charged amounts of the events that pass {@code counts}, in nano-units */
    private static long charged(List<UsageEvent> events, Predicate<UsageEvent> counts) {
        long sum = 0;
        for (UsageEvent e : events) {
            if (counts.test(e)) {
                sum = Math.addExact(sum, e.actualCost().nanos());
            }
        }
        return sum;
    }

    private static boolean balanceMode(UsageEvent e) {
        return e.billingMode() == BillingMode.BALANCE;
    }

    private static boolean subscriptionMode(UsageEvent e) {
        return e.billingMode() == BillingMode.SUBSCRIPTION;
    }

    /** Logged-only usage ({@link BillingMode#NONE}) moves no counter, API key windows included. */
    private static boolean countsInKeyWindows(UsageEvent e) {
        return e.billingMode() != BillingMode.NONE;
    }

    /**
     * Writes a refill when the user is still quiet (no unsettled usage, no live local hold) when the write runs;
     * otherwise skips it (a later miss refills once the store has caught up).
     */
    private void refill(String what, long userId, boolean sync, BooleanSupplier put) {
        write(what, sync, () -> {
            if (unsettled.quiet(userId) && !localHolds.any(userId, now())) {
                put.getAsBoolean();
            } else {
                LOG.debug("{} skipped: usage or local holds of the user are not in the store", what);
            }
        });
    }

    private StoreRead<Money> readBalance(long userId) {
        return read(userId, "bal:" + userId, () -> s.balances().find(userId).orElse(Money.ZERO));
    }

    private StoreRead<Optional<SubscriptionState>> readSubscription(CheckRequest request) {
        long userId = request.userId();
        long groupId = request.groupId();
        return read(userId, "sub:" + userId + ":" + groupId, () -> s.subscriptions().find(userId, groupId));
    }

    private StoreRead<PlatformQuotaRecord> readPlatform(CheckRequest request) {
        if (s.platformQuotas() == null) {
            return null;
        }
        long userId = request.userId();
        String platform = request.platform();
        return read(userId, "pq:" + userId + ":" + platform,
                () -> s.platformQuotas().find(userId, platform).orElse(PlatformQuotaRecord.empty(userId, platform)));
    }

    private StoreRead<KeyUsage> readKeyUsage(CheckRequest request) {
        if (s.windowCounters() == null) {
            return null;
        }
        long userId = request.userId();
        long keyId = request.apiKeyId();
        return read(userId, "key:" + keyId, () -> new KeyUsage(userId, keyId,
                counter(keyId, KeyWindow.FIVE_HOURS), counter(keyId, KeyWindow.ONE_DAY),
                counter(keyId, KeyWindow.SEVEN_DAYS)));
    }

    private WindowUsage counter(long keyId, KeyWindow w) {
        return s.windowCounters().find(UsageLedger.keyCounter(keyId, w)).orElse(WindowUsage.EMPTY);
    }

    private void write(String what, boolean sync, Runnable task) {
        if (sync) {
            task.run();
        } else {
            pool.submitRefill(what, task);
        }
    }

    /**
     * The user × group RPM override: as stated by the request, else from a small in-process cache refreshed
     * from the store every {@link #OVERRIDE_TTL}, so that the hot path does not query the store each time.
     */
    private OptionalLong resolveOverride(CheckRequest request, Instant now) {
        if (request.groupRpmOverrideKnown() || request.groupId() == null || s.rpmOverrides() == null) {
            return request.groupRpmOverride();
        }
        long userId = request.userId();
        long groupId = request.groupId();
        String key = userId + ":" + groupId;
        CachedOverride cached = overrides.get(key);
        if (cached != null && now.isBefore(cached.loadedAt().plus(OVERRIDE_TTL))) {
            return cached.value();
        }
        try {
            OptionalLong value = singleFlight.load("rpmo:" + key, () -> s.rpmOverrides().find(userId, groupId));
            if (overrides.size() >= OVERRIDE_CACHE_SIZE) {
                overrides.clear();
            }
            overrides.put(key, new CachedOverride(value, now));
            return value;
        } catch (BackendUnavailableException e) {
            LOG.warn("rpm override lookup failed for user {} group {}: {}", userId, groupId, e.toString());
            return cached != null ? cached.value() : OptionalLong.empty();
        }
    }

    /** An override as last loaded. */
    private record CachedOverride(OptionalLong value, Instant loadedAt) {
    }

    private void fallback(CheckKind kind, Throwable cause) {
        Listeners.safely(() -> s.listener().onFallback(kind, cause));
    }

    // ------------------------------------------------------------------ record

    @Override
    public void record(UsageEvent event) {
        validate(event);
        ensureOpen();
        Instant now = now();
        applyAndHandOver(event, () -> {
            if (s.cache() != null) {
                usageWrite("usage " + event.requestId(), () -> applyToCache(event, now));
            }
        });
    }

    /**
     * Notes the event as unsettled for its user, applies it to the cache, and submits it to the sink, which
     * settles it once stored. It is noted before the cache write so that no store read can begin between
     * the increment and the moment the gate knows the store lacks it.
     */
    private void applyAndHandOver(UsageEvent event, Runnable cacheWrite) {
        unsettled.add(event);
        boolean handedOver = false;
        try {
            cacheWrite.run();
            s.usageSink().submit(event, () -> unsettled.settled(event));
            handedOver = true;
        } finally {
            if (!handedOver) {
                unsettled.settled(event);
            }
        }
    }

    /** Usage reaches the cache on the caller's thread unless configured to go through the write pool. */
    private void usageWrite(String what, Runnable write) {
        if (s.asyncUsageWrites()) {
            pool.submitCritical(what, write);
            return;
        }
        try {
            write.run();
        } catch (BackendUnavailableException e) {
            LOG.warn("cache write failed ({}); the store still records it: {}", what, e.toString());
        }
    }

    private void applyToCache(UsageEvent event, Instant now) {
        try {
            s.cache().applyUsage(event, now, s.zone());
        } catch (BackendUnavailableException e) {
            evictTouched(event);
            throw e;
        }
    }

    private void validate(UsageEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        if (event.actualCost().compareTo(s.maxCharge()) > 0) {
            throw new IllegalArgumentException("actualCost " + event.actualCost() + " exceeds maxCharge " + s.maxCharge());
        }
        if (event.totalCost().compareTo(s.maxCharge()) > 0) {
            throw new IllegalArgumentException("totalCost " + event.totalCost() + " exceeds maxCharge " + s.maxCharge());
        }
        requireKnownPlatform(event.platform());
    }

    /** Best effort: a cache entry that missed an increment must not keep answering. */
    private void evictTouched(UsageEvent event) {
        BillingCache cache = s.cache();
        long user = event.userId();
        if (event.billingMode() == BillingMode.BALANCE) {
            quietly(() -> cache.evictBalance(user));
            if (event.platform() != null) {
                quietly(() -> cache.evictPlatformQuota(user, event.platform()));
            }
        } else {
            quietly(() -> cache.evictSubscription(user, event.groupId()));
        }
        if (event.apiKeyId() != null) {
            quietly(() -> cache.evictKeyUsage(user, event.apiKeyId()));
        }
    }

    private static void quietly(Runnable eviction) {
        try {
            eviction.run();
        } catch (BackendUnavailableException ignored) {
            // the entry expires with its TTL
        }
    }

    // ------------------------------------------------------------------ reservations

    @Override
    public Reservation reserve(CheckRequest request, Money estimate) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        if (estimate == null || estimate.isNegative()) {
            throw new IllegalArgumentException("estimate must be zero or positive: " + estimate);
        }
        if (estimate.compareTo(s.maxCharge()) > 0) {
            throw new IllegalArgumentException("estimate " + estimate + " exceeds maxCharge " + s.maxCharge());
        }
        requireKnownPlatform(request.platform());
        if (s.cache() == null) {
            throw new IllegalStateException("reserve needs a BillingCache: holds live in the cache");
        }
        ensureOpen();
        Instant now = now();
        Hold hold = new Hold(UUID.randomUUID().toString(), estimate, now.plus(s.holdTimeout()));
        Reservation r = reserveWith(request, hold, now);
        Listeners.safely(() -> s.listener().onDecision(request, r.decision()));
        return r;
    }

    private Reservation reserveWith(CheckRequest request, Hold hold, Instant now) {
        if (s.simpleMode()) {
            return notHeld(Decision.allow(), hold, request);
        }
        if (!breaker.tryAcquire()) {
            return notHeld(Decision.deny(DenyReason.BILLING_SERVICE_ERROR), hold, request);
        }
        BreakerCall call = new BreakerCall();
        try {
            RpmPlan plan = evaluator.rpmPlan(request, resolveOverride(request, now));
            CacheCheck check = new CacheCheck(request, plan, now, s.zone());
            ReserveView last = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                ReserveView rv;
                try {
                    rv = s.cache().reserve(check, hold);
                } catch (BackendUnavailableException e) {
                    fallback(CheckKind.BALANCE, e);
                    return holdLocally(request, plan, check, null, Holds.NONE, hold, call, now);
                }
                if (rv.admitted()) {
                    call.success();
                    return heldInCache(request, plan, rv, hold, now);
                }
                if (rv.view().complete()) {
                    call.success();
                    Decision d = evaluator.evaluateHold(request, rv.view().toState(), rv.heldBefore(),
                            hold.estimate().nanos(), now);
                    if (d.allowed()) {
                        LOG.warn("cache refused a hold the evaluator admits (user {}); denying", request.userId());
                        d = Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
                    }
                    return notHeld(d, hold, request);
                }
                Loaded loaded = assemble(request, check, rv.view(), true, true, call);
                if (loaded.failure != null) {
                    return notHeld(loaded.failure, hold, request);
                }
                last = rv;
            }
            // The refill was refused (the entry is dirty: usage or an eviction met it absent moments ago, or this
            // gate has usage or local holds of the user not in the store), so the cache cannot hold: hold here.
            return holdLocally(request, plan, check, last.view(), last.heldBefore(), hold, call, now);
        } catch (InvalidDataException e) {
            return notHeld(invalidData(request, e), hold, request);
        } finally {
            call.finish();
        }
    }

    /**
     * The cache took the hold. It does not see this gate's local holds, so while the user has some, the hold
     * is checked against them too and dropped again when they leave no room. Then RPM is counted.
     */
    private Reservation heldInCache(CheckRequest request, RpmPlan plan, ReserveView rv, Hold hold, Instant now) {
        if (localHolds.any(request.userId(), now)) {
            Decision d = evaluator.evaluateHold(request, rv.view().toState(),
                    LocalHolds.plus(rv.heldBefore(), localHolds.held(request, now)), hold.estimate().nanos(), now);
            if (d.denied()) {
                releaseQuietly(request.userId(), hold.holdId());
                return notHeld(d, hold, request);
            }
        }
        if (!plan.isEmpty()) {
            Decision rpm = rv.view().rpmCounted()
                    ? evaluator.evaluateRpm(plan, scope -> scope == RpmScope.GROUP
                            ? rv.view().groupRpmCount() : rv.view().userRpmCount(), now)
                    : countRpm(request, plan, now);
            if (rpm.denied()) {
                releaseQuietly(request.userId(), hold.holdId());
                return notHeld(rpm, hold, request);
            }
        }
        return new Reservation(Decision.allow(), hold.holdId(), request.userId(), hold.expiresAt(), true);
    }

    /**
     * Holds in this process when the cache cannot: evaluates the hold rules against the cache entries the view
     * has, store reads of the others plus the user's unsettled usage, the holds the cache reported
     * ({@code cacheHeld}) and this gate's live local holds, and keeps the hold locally when it fits, atomically
     * per user. Reads that overlapped commits of the user's usage are read again, then answered conservatively.
     * Bound: other gateway instances do not see a local hold (nor this gate the holds they keep locally).
     */
    private Reservation holdLocally(CheckRequest request, RpmPlan plan, CacheCheck check, CheckView view,
                                    Holds cacheHeld, Hold hold, BreakerCall call, Instant now) {
        long userId = request.userId();
        long deadline = System.nanoTime() + s.loadTimeout().toNanos();
        boolean last = false;
        Decision d = null;
        for (int attempt = 1; d == null; attempt++) {
            last |= attempt >= MAX_READS;
            Gathered g = gather(request, check, view, call, attempt == 1);
            if (g.failure != null) {
                return notHeld(g.failure, hold, request);
            }
            boolean conservative = last;
            d = localHolds.hold(request, hold, now, local -> {
                UnsettledUsage.View v = unsettled.view(userId);
                if (!conservative && !g.exact(v)) {
                    return null;
                }
                return evaluator.evaluateHold(request, g.state(v.events()), LocalHolds.plus(local, cacheHeld),
                        hold.estimate().nanos(), now);
            });
            if (d == null) {
                last = !awaitCommits(userId, deadline);
            }
        }
        if (d.denied()) {
            return notHeld(d, hold, request);
        }
        if (!plan.isEmpty()) {
            Decision rpm = countRpm(request, plan, now);
            if (rpm.denied()) {
                localHolds.remove(userId, hold.holdId());
                return notHeld(rpm, hold, request);
            }
        }
        LOG.debug("hold {} of user {} kept locally: the cache could not take it", hold.holdId(), userId);
        return new Reservation(Decision.allow(), hold.holdId(), userId, hold.expiresAt(), true, true);
    }

    private static Reservation notHeld(Decision d, Hold hold, CheckRequest request) {
        return new Reservation(d, hold.holdId(), request.userId(), hold.expiresAt(), false);
    }

    @Override
    public void settle(Reservation reservation, UsageEvent event) {
        if (reservation == null) {
            throw new IllegalArgumentException("reservation must not be null");
        }
        validate(event);
        if (reservation.decision().denied()) {
            throw new IllegalArgumentException("reservation was denied; there is nothing to settle");
        }
        if (reservation.userId() != event.userId()) {
            throw new IllegalArgumentException("event.userId " + event.userId() + " does not own reservation of user "
                    + reservation.userId());
        }
        ensureOpen();
        Instant now = now();
        applyAndHandOver(event, () -> {
            if (reservation.held()) {
                usageWrite("settle " + reservation.holdId(), () -> {
                    try {
                        s.cache().settle(reservation.holdId(), event, now, s.zone());
                    } catch (BackendUnavailableException e) {
                        evictTouched(event);
                        throw e;
                    }
                });
            } else if (s.cache() != null) {
                usageWrite("usage " + event.requestId(), () -> applyToCache(event, now));
            }
        });
        if (reservation.local()) {
            // only now that the usage is noted as unsettled: its room is always counted, as hold or as usage
            localHolds.remove(reservation.userId(), reservation.holdId());
        }
    }

    @Override
    public void release(Reservation reservation) {
        if (reservation == null) {
            throw new IllegalArgumentException("reservation must not be null");
        }
        if (reservation.local()) {
            localHolds.remove(reservation.userId(), reservation.holdId());
        } else if (reservation.held()) {
            releaseQuietly(reservation.userId(), reservation.holdId());
        }
    }

    @Override
    public Reservation renew(Reservation reservation) {
        if (reservation == null) {
            throw new IllegalArgumentException("reservation must not be null");
        }
        if (!reservation.held()) {
            return reservation;
        }
        ensureOpen();
        Instant now = now();
        Instant expiresAt = now.plus(s.holdTimeout());
        if (!expiresAt.isAfter(reservation.expiresAt())) {
            return reservation; // renewed moments ago
        }
        boolean live = reservation.local()
                ? localHolds.renew(reservation.userId(), reservation.holdId(), expiresAt, now)
                : s.cache().renew(reservation.userId(), reservation.holdId(), expiresAt);
        return live ? reservation.renewedUntil(expiresAt) : reservation.notHeld();
    }

    private void releaseQuietly(long userId, String holdId) {
        try {
            s.cache().release(userId, holdId);
        } catch (BackendUnavailableException e) {
            LOG.warn("release of hold {} failed; it lapses on its own: {}", holdId, e.toString());
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void replacePlatformQuotaDefaults(PlatformQuotaDefaults newDefaults) {
        if (newDefaults == null) {
            throw new IllegalArgumentException("defaults must not be null");
        }
        defaults.replace(newDefaults);
    }

    private PlatformQuotaDefaults platformDefaults() {
        return defaults.get();
    }

    @Override
    public GateMetrics metrics() {
        return new GateMetrics(pool.dropped(), pool.ranSynchronously(), pool.failed(), pool.timedOut(), breaker.state());
    }

    @Override
    public void flush() {
        pool.awaitIdle(s.cacheWriteTimeout().multipliedBy(s.cacheWriteQueue() + 1L));
        s.usageSink().flush();
        defaults.awaitReload(s.loadTimeout());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.close();
            s.usageSink().close();
            loaders.shutdownNow();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("billing gate is closed");
        }
    }

    private void requireKnownPlatform(String platform) {
        if (platform != null && !s.platforms().isEmpty() && !s.platforms().contains(platform)) {
            throw new IllegalArgumentException("platform '" + platform + "' is not configured; known: " + s.platforms());
        }
    }

    /** Quota keeps time at millisecond precision, the precision of every store and script. */
    private Instant now() {
        return Instant.ofEpochMilli(s.clock().millis());
    }
}
