package dev.quota.core.internal;

import dev.quota.core.BillingAdmin;
import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.FailurePolicy;
import dev.quota.core.Health;
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
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.RpmScope;
import dev.quota.core.money.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.usage.UsageKey;
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
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * The record pipeline's settings (kept apart from {@link Settings}).
     *
     * @param outbox the cache's outbox, or null
     * @param drainInterval how often the drainer looks for stale outbox entries
     * @param drainIdle how old an entry must be before the drainer takes it; also the claim's lease
     */
    public record RecordSettings(UsageOutbox outbox, Duration drainInterval, Duration drainIdle) {
    }

    private final Settings s;
    private final RecordSettings rs;
    /** Evictions owed after an outage (see {@link CacheCoherence}). */
    private final CacheCoherence coherence;
    private final OutboxAcker acker;
    private final OutboxDrainer drainer;
    private final AtomicLong rejectedUsage = new AtomicLong();
    private final AtomicLong synchronousStores = new AtomicLong();
    private final AtomicLong drainedUsage = new AtomicLong();
    private final EligibilityEvaluator evaluator;
    private final CacheWritePool pool;
    private final BillingBreaker breaker;
    private final ExecutorService loaders;
    private final SingleFlight<String> singleFlight;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentHashMap<String, CachedOverride> overrides = new ConcurrentHashMap<>();
    /** Usage handed to the sink and not settled yet, per user (see {@link #read}). */
    private final UnsettledUsage unsettled;
    /** Holds taken in this process when the cache could not take them (see {@link #holdLocally}). */
    private final LocalHolds localHolds = new LocalHolds();
    private final PlatformDefaults defaults;
    private final StoreReads reads;
    private final GateAdmin admin;
    private final GateHealth health;

    /**
     * @param settings the settings
     */
    public DefaultBillingGate(Settings settings) {
        this(settings, new RecordSettings(null, Duration.ofSeconds(10), Duration.ofSeconds(60)));
    }

    /**
     * @param settings the settings
     * @param recordSettings the record pipeline's settings
     */
    public DefaultBillingGate(Settings settings, RecordSettings recordSettings) {
        this.s = settings;
        this.rs = recordSettings;
        this.unsettled = new UnsettledUsage(settings.clock());
        this.evaluator = EligibilityEvaluator.inZone(settings.zone());
        this.pool = new CacheWritePool(settings.cacheWriteWorkers(), settings.cacheWriteQueue(),
                settings.cacheWriteTimeout(), settings.dropLogInterval(), settings.clock(), settings.listener());
        this.breaker = new BillingBreaker(settings.breakerFailureThreshold(), settings.breakerResetTimeout(),
                settings.breakerHalfOpenRequests(), settings.clock(), settings.listener());
        this.loaders = Executors.newCachedThreadPool(Threads.daemon("quota-load"));
        this.singleFlight = new SingleFlight<>(loaders, settings.loadTimeout());
        this.coherence = new CacheCoherence(settings.cache(), Duration.ofSeconds(1));
        UsageOutbox outbox = recordSettings.outbox();
        this.acker = outbox == null ? null : new OutboxAcker(outbox, Duration.ofMillis(100));
        this.drainer = outbox == null ? null : new OutboxDrainer(outbox, settings.clock(),
                recordSettings.drainInterval(), recordSettings.drainIdle(), this::handOverDrained);
        this.defaults = new PlatformDefaults(settings.platformQuotas(), settings.platformQuotaDefaults(),
                settings.platformDefaultsRefresh(), settings.loadTimeout(), settings.clock(), loaders);
        this.reads = new StoreReads(settings, singleFlight, unsettled, defaults);
        this.admin = new GateAdmin(settings, coherence, new GateAdmin.OverrideCache() {
            @Override
            public void forget(long userId, long groupId) {
                overrides.remove(userId + ":" + groupId);
            }

            @Override
            public void forgetUser(long userId) {
                String prefix = userId + ":";
                overrides.keySet().removeIf(k -> k.startsWith(prefix));
            }
        }, this::ensureOpen);
        this.health = new GateHealth(settings.cache(), List.of(settings.balances(), settings.subscriptions()), loaders,
                settings.loadTimeout(), recordSettings.drainIdle(), settings.clock());
        health.probeAtStartup();
    }

    @Override
    public BillingAdmin admin() {
        return admin;
    }

    // ------------------------------------------------------------------ check

    @Override
    public Decision check(CheckRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        requireKnownPlatform(request.platform());
        coherence.payIfOwed();
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
            return decideWithPermit(request, call);
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

    /** The check once the breaker let it through; {@code call} answers the breaker's permit. */
    private Decision decideWithPermit(CheckRequest request, BreakerCall call) {
        Instant now = now();
        RpmPlan plan = evaluator.rpmPlan(request, resolveOverride(request, now));
        CacheCheck cacheCheck = new CacheCheck(request, plan, now, s.zone());
        CheckView view = null;
        if (s.cache() != null) {
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
    private final class BreakerCall implements StoreReads.Permit {
        private boolean recorded;

        @Override
        public void success() {
            if (!recorded) {
                recorded = true;
                breaker.success();
            }
        }

        @Override
        public void failure() {
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
            StoreReads.Gathered g = reads.gather(request, check, view, call, attempt == 1);
            if (g.failure() != null) {
                return new Loaded(null, g.failure());
            }
            UnsettledUsage.View v = unsettled.view(userId);
            boolean exact = g.exact(v);
            if (exact || last) {
                if (!exact) {
                    LOG.debug("store reads of user {} overlapped commits of its usage: answering conservatively", userId);
                }
                if (refill && exact && v.quiet()) {
                    g.refill((what, user, put) -> refill(what, user, syncRefill, put));
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
        UsageEvent e = s.simpleMode() ? loggedOnly(event) : event;
        Instant now = now();
        handOver(e, s.cache() == null ? null : () -> s.cache().applyUsage(e, now, s.zone()), "usage " + e.requestId());
    }

    /** Simple mode: the event is logged (ledger, roll-ups, statistics) but bills nothing. */
    private static UsageEvent loggedOnly(UsageEvent e) {
        if (e.billingMode() == BillingMode.NONE) {
            return e;
        }
        return new UsageEvent(e.requestId(), e.userId(), e.apiKeyId(), e.accountId(), e.groupId(), BillingMode.NONE,
                e.platform(), e.model(), e.inputTokens(), e.outputTokens(), e.cacheCreationTokens(),
                e.cacheReadTokens(), e.totalCost(), e.actualCost(), e.inputCost(), e.outputCost(),
                e.cacheCreationCost(), e.cacheReadCost(), e.httpStatus(), e.errorMessage(), e.responseTimeMs(),
                e.attempts(), e.occurredAt());
    }

    /** One atomic cache step that applies usage (and appends its outbox entry); true when newly applied. */
    @FunctionalInterface
    private interface CacheStep {
        boolean apply();
    }

    /**
     * The record path, all-or-nothing: reserve a place in the sink (a refusal changes nothing), note the event
     * as unsettled (before the cache write, so that no store read can begin between the increment and the
     * moment the gate knows the store lacks it), apply it to the cache (which appends the outbox entry in the
     * same step), then hand it over. When the cache cannot take it, the event is stored synchronously instead,
     * so that it is never held in one place only; when that fails too, the call throws and nothing is charged.
     */
    private void handOver(UsageEvent event, CacheStep cacheStep, String what) {
        coherence.payIfOwed();
        UsageSink.Slot slot = s.usageSink().reserve();
        RecordProgress progress = new RecordProgress(event);
        unsettled.add(event);
        boolean slotUsed = false;
        boolean handed = false;
        try {
            boolean cacheTook = false;
            if (cacheStep != null) {
                if (s.asyncUsageWrites()) {
                    pool.submitCritical(what, () -> applyToCache(event, cacheStep));
                    cacheTook = true;
                    progress.charged = true;
                } else {
                    try {
                        progress.charged = cacheStep.apply();
                        cacheTook = true;
                    } catch (BackendUnavailableException e) {
                        LOG.warn("cache write failed ({}); storing the event synchronously: {}", what, e.toString());
                        coherence.evictTouched(event);
                    }
                }
            }
            progress.acknowledge = cacheTook && acker != null;
            slotUsed = true;
            if (cacheTook) {
                slot.submit(event, progress);
            } else {
                synchronousStores.incrementAndGet();
                slot.store(event, progress);
            }
            handed = true;
        } finally {
            if (!slotUsed) {
                slot.cancel();
            }
            if (!handed) {
                progress.finish(); // no-op when the sink settled it (a failed synchronous store)
            }
        }
    }

    /** Queued usage writes: a failure evicts what the cache missed. */
    private void applyToCache(UsageEvent event, CacheStep step) {
        try {
            step.apply();
        } catch (BackendUnavailableException e) {
            coherence.evictTouched(event);
            throw e;
        }
    }

    /**
     * Follows one event through the sink: keeps {@link UnsettledUsage} informed, reports rejections, makes SQL
     * the judge (usage the cache counted but the store refused is evicted) and acknowledges the outbox entry.
     */
    private final class RecordProgress implements UsageSink.Progress {
        private final UsageEvent event;
        private final AtomicBoolean done = new AtomicBoolean();
        /** The cache newly counted the event (set before the hand-over). */
        volatile boolean charged;
        /** The cache holds an outbox entry of the event to acknowledge (set before the hand-over). */
        volatile boolean acknowledge;
        /** Handed over by the drainer. */
        volatile boolean drained;

        RecordProgress(UsageEvent event) {
            this.event = event;
        }

        @Override
        public void committing() {
            unsettled.committing(event);
        }

        @Override
        public void rejected(String error) {
            rejectedUsage.incrementAndGet();
            Listeners.safely(() -> s.listener().onUsageRejected(event, error));
        }

        @Override
        public void settled(UsageSink.Outcome outcome) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                boolean refused = outcome == UsageSink.Outcome.DUPLICATE || outcome == UsageSink.Outcome.REJECTED;
                if ((charged && refused) || (drained && outcome == UsageSink.Outcome.REJECTED)) {
                    // SQL is the judge: the cache counted usage the store refused (a drained event was counted
                    // by the instance that recorded it; a duplicate of it was counted once, a rejection never)
                    coherence.evictTouched(event);
                }
                if (outcome != UsageSink.Outcome.ABANDONED) {
                    if (acknowledge) {
                        acker.add(UsageKey.of(event));
                    }
                    if (drained) {
                        drainedUsage.incrementAndGet();
                        Listeners.safely(() -> s.listener().onUsageRecovered(event));
                    }
                }
            } finally {
                unsettled.settled(event);
            }
        }

        /** Ends the bookkeeping of an event the sink never took. */
        void finish() {
            if (done.compareAndSet(false, true)) {
                unsettled.settled(event);
            }
        }
    }

    /**
     * Hands an event the drainer claimed to the sink; it is acknowledged once settled.
     *
     * @return false when the sink has no room (the drain round stops)
     */
    private boolean handOverDrained(UsageEvent event) {
        UsageSink.Slot slot;
        try {
            slot = s.usageSink().reserve();
        } catch (BackendUnavailableException | IllegalStateException e) {
            return false;
        }
        RecordProgress progress = new RecordProgress(event);
        progress.acknowledge = true;
        progress.drained = true;
        unsettled.add(event);
        slot.submit(event, progress);
        return true;
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
        coherence.payIfOwed();
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
            StoreReads.Gathered g = reads.gather(request, check, view, call, attempt == 1);
            if (g.failure() != null) {
                return notHeld(g.failure(), hold, request);
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
        CacheStep step;
        if (reservation.held()) {
            step = () -> s.cache().settle(reservation.holdId(), event, now, s.zone());
        } else {
            step = s.cache() == null ? null : () -> s.cache().applyUsage(event, now, s.zone());
        }
        handOver(event, step, "settle " + reservation.holdId());
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
        return new GateMetrics(pool.dropped(), pool.ranSynchronously(), pool.failed(), pool.timedOut(), breaker.state(),
                rejectedUsage.get(), synchronousStores.get(), acker == null ? 0 : acker.acknowledged(),
                drainedUsage.get(), coherence.owed());
    }

    @Override
    public Health health() {
        ensureOpen();
        return health.assess(metrics(), unsettled.lag());
    }

    @Override
    public void flush() {
        pool.awaitIdle(s.cacheWriteTimeout().multipliedBy(s.cacheWriteQueue() + 1L));
        s.usageSink().flush();
        if (acker != null) {
            acker.flush();
        }
        defaults.awaitReload(s.loadTimeout());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (drainer != null) {
                drainer.close();
            }
            pool.close();
            s.usageSink().close();
            if (acker != null) {
                acker.close();
            }
            coherence.close();
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
