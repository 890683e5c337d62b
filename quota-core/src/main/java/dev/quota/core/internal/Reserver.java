package dev.quota.core.internal;

import dev.quota.core.CheckKind;
import dev.quota.core.GateConfig;
import dev.quota.core.Reservation;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.InvalidDataException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.EligibilityEvaluator.LoadedState;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reservations: reserve (in the cache, or locally when the cache cannot hold), settle, release and renew. The
 * caller validated the arguments and checked that the gate is open. Thread-safe.
 */
final class Reserver {

    private static final Logger LOG = LoggerFactory.getLogger(Reserver.class);

    private final GateConfig config;
    private final CheckParts parts;
    private final EligibilityEvaluator evaluator;
    private final UnsettledUsage unsettled;
    private final LocalHolds localHolds;
    private final Recorder recorder;

    /**
     * @param config the gate's configuration (it has a cache)
     * @param parts what a check goes through too
     * @param unsettled the gate's unsettled usage
     * @param localHolds the holds this gate keeps when the cache cannot
     * @param recorder hands settled usage over
     */
    Reserver(GateConfig config, CheckParts parts, UnsettledUsage unsettled, LocalHolds localHolds, Recorder recorder) {
        this.config = config;
        this.parts = parts;
        this.evaluator = parts.evaluator();
        this.unsettled = unsettled;
        this.localHolds = localHolds;
        this.recorder = recorder;
    }

    /**
     * @param request the validated request
     * @param estimate the validated estimate
     * @return the reservation
     */
    Reservation reserve(CheckRequest request, Money estimate) {
        Instant now = config.time().now();
        Hold hold = new Hold(UUID.randomUUID().toString(), estimate, now.plus(config.holdTimeout()));
        if (config.simpleMode()) {
            return notHeld(Decision.allow(), hold, request);
        }
        BreakerPermit permit = BreakerPermit.acquire(parts.breaker());
        if (permit == null) {
            return notHeld(Decision.deny(DenyReason.BILLING_SERVICE_ERROR), hold, request);
        }
        try {
            return reserveWith(request, hold, permit, now);
        } catch (InvalidDataException e) {
            return notHeld(CheckFlow.invalidData(request, e), hold, request);
        } finally {
            permit.finish();
        }
    }

    private Reservation reserveWith(CheckRequest request, Hold hold, BreakerPermit permit, Instant now) {
        RpmPlan plan = evaluator.rpmPlan(request, parts.overrides().resolve(request, now));
        CacheCheck check = new CacheCheck(request, plan, now, config.zone());
        ReserveView last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            ReserveView rv;
            try {
                rv = config.cache().reserve(check, hold);
            } catch (BackendUnavailableException e) {
                Listeners.fallback(config.listener(), CheckKind.BALANCE, e);
                return holdLocally(request, plan, check, null, Holds.NONE, hold, permit, now);
            }
            if (rv.admitted()) {
                permit.success();
                return heldInCache(request, plan, rv, hold, now);
            }
            if (rv.view().complete()) {
                permit.success();
                Decision d = evaluator.evaluateHold(request, rv.view().toState(), rv.heldBefore(),
                        hold.estimate().nanos(), now);
                if (d.allowed()) {
                    LOG.warn("cache refused a hold the evaluator admits (user {}); denying", request.userId());
                    d = Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
                }
                return notHeld(d, hold, request);
            }
            LoadedState loaded = parts.loader().load(request, check, rv.view(), StateLoader.Refill.NOW, permit);
            if (loaded.failure() != null) {
                return notHeld(loaded.failure(), hold, request);
            }
            last = rv;
        }
        // The refill was refused (the entry is dirty: usage or an eviction met it absent moments ago, or this
        // gate has usage or local holds of the user not in the store), so the cache cannot hold: hold here.
        return holdLocally(request, plan, check, last.view(), last.heldBefore(), hold, permit, now);
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
            Decision d = parts.rpm().apply(request, plan, rv.view(), now);
            if (d.denied()) {
                releaseQuietly(request.userId(), hold.holdId());
                return notHeld(d, hold, request);
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
                                    Holds cacheHeld, Hold hold, BreakerPermit permit, Instant now) {
        long userId = request.userId();
        Decision d = parts.loader().readUntilExact(request, check, view, permit, failure -> failure,
                (g, conservative) -> localHolds.hold(request, hold, now, local -> {
                    UnsettledUsage.View v = unsettled.view(userId);
                    if (!conservative && !g.exact(v)) {
                        return null;
                    }
                    return evaluator.evaluateHold(request, g.state(v.events()), LocalHolds.plus(local, cacheHeld),
                            hold.estimate().nanos(), now);
                }));
        if (d.denied()) {
            return notHeld(d, hold, request);
        }
        if (!plan.isEmpty()) {
            Decision counted = parts.rpm().apply(request, plan, null, now);
            if (counted.denied()) {
                localHolds.remove(userId, hold.holdId());
                return notHeld(counted, hold, request);
            }
        }
        LOG.debug("hold {} of user {} kept locally: the cache could not take it", hold.holdId(), userId);
        return new Reservation(Decision.allow(), hold.holdId(), userId, hold.expiresAt(), true, true);
    }

    private static Reservation notHeld(Decision d, Hold hold, CheckRequest request) {
        return new Reservation(d, hold.holdId(), request.userId(), hold.expiresAt(), false);
    }

    /**
     * @param reservation the validated reservation, not denied
     * @param event the validated event of the reservation's user
     */
    void settle(Reservation reservation, UsageEvent event) {
        Instant now = config.time().now();
        Recorder.CacheStep step;
        if (reservation.held()) {
            step = () -> config.cache().settle(reservation.holdId(), event, now, config.zone());
        } else {
            step = config.cache() == null ? null : () -> config.cache().applyUsage(event, now, config.zone());
        }
        recorder.handOver(event, step, "settle " + reservation.holdId());
        if (reservation.local()) {
            // only now that the usage is noted as unsettled: its room is always counted, as hold or as usage
            localHolds.remove(reservation.userId(), reservation.holdId());
        }
    }

    /** @param reservation the reservation to drop, not null */
    void release(Reservation reservation) {
        if (reservation.local()) {
            localHolds.remove(reservation.userId(), reservation.holdId());
        } else if (reservation.held()) {
            releaseQuietly(reservation.userId(), reservation.holdId());
        }
    }

    /**
     * @param reservation a held reservation
     * @return the reservation renewed, unchanged (renewed moments ago) or not held (the hold is gone)
     */
    Reservation renew(Reservation reservation) {
        Instant now = config.time().now();
        Instant expiresAt = now.plus(config.holdTimeout());
        if (!expiresAt.isAfter(reservation.expiresAt())) {
            return reservation; // renewed moments ago
        }
        boolean live = reservation.local()
                ? localHolds.renew(reservation.userId(), reservation.holdId(), expiresAt, now)
                : config.cache().renew(reservation.userId(), reservation.holdId(), expiresAt);
        return live ? reservation.renewedUntil(expiresAt) : reservation.notHeld();
    }

    private void releaseQuietly(long userId, String holdId) {
        try {
            config.cache().release(userId, holdId);
        } catch (BackendUnavailableException e) {
            LOG.warn("release of hold {} failed; it lapses on its own: {}", holdId, e.toString());
        }
    }
}
