package dev.quota.core.internal;

import dev.quota.core.BillingAdmin;
import dev.quota.core.BillingGate;
import dev.quota.core.GateConfig;
import dev.quota.core.Health;
import dev.quota.core.Reservation;
import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.Money;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link BillingGate} implementation: validates arguments, hands each call to the part that does that job
 * ({@link CheckFlow}, {@link Recorder}, {@link Reserver}, {@link GateAdmin}, {@link GateHealth}) and owns the
 * lifecycle of the parts and their threads. Unsupported API: build it with {@link BillingGate#builder()}.
 */
public final class DefaultBillingGate implements BillingGate {

    private final GateConfig config;
    private final GateArguments arguments;
    /** Evictions owed after an outage (see {@link CacheCoherence}). */
    private final CacheCoherence coherence;
    private final OutboxAcker acker;
    private final OutboxDrainer drainer;
    private final CacheWritePool pool;
    private final BillingBreaker breaker;
    private final ExecutorService loaders;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Usage handed to the sink and not settled yet, per user (see {@link StateLoader}). */
    private final UnsettledUsage unsettled;
    private final PlatformDefaults defaults;
    private final CheckFlow checks;
    private final Recorder recorder;
    private final Reserver reserver;
    private final GateAdmin admin;
    private final GateHealth health;

    /**
     * Builds the gate's parts and starts their threads; probes the backends once.
     *
     * @param config the configuration the builder collected
     */
    public DefaultBillingGate(GateConfig config) {
        this.config = config;
        this.arguments = new GateArguments(config);
        this.unsettled = new UnsettledUsage(config.clock());
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(config.zone());
        this.pool = new CacheWritePool(config.cacheWriteWorkers(), config.cacheWriteQueue(),
                config.cacheWriteTimeout(), config.dropLogInterval(), config.clock(), config.listener());
        this.breaker = new BillingBreaker(config.breakerFailureThreshold(), config.breakerResetTimeout(),
                config.breakerHalfOpenRequests(), config.clock(), config.listener());
        this.loaders = Executors.newCachedThreadPool(Threads.daemon("quota-load"));
        SingleFlight<String> singleFlight = new SingleFlight<>(loaders, config.loadTimeout());
        this.coherence = new CacheCoherence(config.cache(), Duration.ofSeconds(1), config.clock(),
                config.dropLogInterval());
        UsageOutbox outbox = config.outbox();
        this.acker = outbox == null ? null : new OutboxAcker(outbox, Duration.ofMillis(100));
        this.recorder = new Recorder(config, pool, coherence, unsettled, acker);
        this.drainer = outbox == null ? null : new OutboxDrainer(outbox, config.clock(),
                config.drainInterval(), config.drainIdle(), recorder::handOverDrained);
        this.defaults = new PlatformDefaults(config.platformQuotas(), config.platformQuotaDefaults(),
                config.platformDefaultsRefresh(), config.loadTimeout(), config.clock(), loaders);
        LocalHolds localHolds = new LocalHolds();
        StateLoader loader = new StateLoader(config, new StoreReads(config, singleFlight, unsettled, defaults),
                unsettled, localHolds, pool);
        RpmOverrides overrides = new RpmOverrides(config.rpmOverrides(), singleFlight);
        CheckParts parts = new CheckParts(evaluator, breaker, overrides, loader, new RpmStep(config, evaluator));
        this.checks = new CheckFlow(config, parts);
        this.reserver = new Reserver(config, parts, unsettled, localHolds, recorder);
        this.admin = new GateAdmin(config, coherence, overrides, this::ensureOpen);
        this.health = new GateHealth(config.cache(), List.of(config.balances(), config.subscriptions()), loaders,
                config.loadTimeout(), config.drainIdle(), config.clock());
        health.probeAtStartup();
    }

    @Override
    public BillingAdmin admin() {
        return admin;
    }

    @Override
    public Decision check(CheckRequest request) {
        GateArguments.requireNonNull(request, "request");
        arguments.requireKnownPlatform(request.platform());
        coherence.payIfOwed();
        Decision d = checks.decide(request);
        Listeners.decision(config.listener(), request, d);
        return d;
    }

    @Override
    public void record(UsageEvent event) {
        arguments.requireValid(event);
        ensureOpen();
        recorder.record(event);
    }

    @Override
    public Reservation reserve(CheckRequest request, Money estimate) {
        GateArguments.requireNonNull(request, "request");
        arguments.requireValidEstimate(estimate);
        arguments.requireKnownPlatform(request.platform());
        if (config.cache() == null) {
            throw new IllegalStateException("reserve needs a BillingCache: holds live in the cache");
        }
        ensureOpen();
        coherence.payIfOwed();
        Reservation r = reserver.reserve(request, estimate);
        Listeners.decision(config.listener(), request, r.decision());
        return r;
    }

    @Override
    public void settle(Reservation reservation, UsageEvent event) {
        GateArguments.requireNonNull(reservation, "reservation");
        arguments.requireValid(event);
        if (reservation.decision().denied()) {
            throw new IllegalArgumentException("reservation was denied; there is nothing to settle");
        }
        if (reservation.userId() != event.userId()) {
            throw new IllegalArgumentException("event.userId " + event.userId() + " does not own reservation of user "
                    + reservation.userId());
        }
        ensureOpen();
        reserver.settle(reservation, event);
    }

    @Override
    public void release(Reservation reservation) {
        GateArguments.requireNonNull(reservation, "reservation");
        reserver.release(reservation);
    }

    @Override
    public Reservation renew(Reservation reservation) {
        GateArguments.requireNonNull(reservation, "reservation");
        if (!reservation.held()) {
            return reservation;
        }
        ensureOpen();
        return reserver.renew(reservation);
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void replacePlatformQuotaDefaults(PlatformQuotaDefaults newDefaults) {
        GateArguments.requireNonNull(newDefaults, "defaults");
        defaults.replace(newDefaults);
    }

    @Override
    public GateMetrics metrics() {
        return new GateMetrics(pool.dropped(), pool.ranSynchronously(), pool.failed(), pool.timedOut(), breaker.state(),
                recorder.rejectedUsage(), recorder.synchronousStores(), acker == null ? 0 : acker.acknowledged(),
                recorder.drainedUsage(), coherence.owed());
    }

    @Override
    public Health health() {
        ensureOpen();
        return health.assess(metrics(), unsettled.lag());
    }

    @Override
    public void flush() {
        pool.awaitIdle(config.cacheWriteTimeout().multipliedBy(config.cacheWriteQueue() + 1L));
        config.usageSink().flush();
        if (acker != null) {
            acker.flush();
        }
        defaults.awaitReload(config.loadTimeout());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (drainer != null) {
                drainer.close();
            }
            pool.close();
            config.usageSink().close();
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
}
