package dev.quota.core.internal;

import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.spi.Hold;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Holds the gate keeps in its own process when the cache cannot take one (it is down, or the user's entries
 * are dirty and cannot be refilled): per user, hold id to the estimate, its scopes and its expiry. A hold
 * lapses at its expiry on the gate's clock; lapsed holds are purged as the user's holds are next touched.
 * Per user, taking a hold is atomic with the evaluation that admits it ({@link #hold}), so that concurrent
 * reservations of this gate never admit beyond a cap. Other gateway instances do not see these holds.
 * Thread-safe.
 */
final class LocalHolds {

    /**
     * A held estimate and the scopes it counts against, as the cache records them ({@code subscriptionScope}:
     * {@link Holds#holdsSubscription}, false for an unlimited subscription).
     */
    private record LocalHold(Hold hold, boolean subscriptionMode, boolean subscriptionScope, Long groupId,
                             String platform, Long apiKeyId, String model) {
    }

    private final ConcurrentHashMap<Long, Map<String, LocalHold>> byUser = new ConcurrentHashMap<>();

    /**
     * Evaluates and, when {@code decide} admits, keeps the hold, atomically for the user: no other hold of the
     * user is taken, settled, released or renewed meanwhile.
     *
     * @param request the request
     * @param hold the hold
     * @param now the current instant
     * @param decide given the amounts other live local holds of the user hold in the request's scopes, the
     *     decision; {@code null} to keep nothing and have the caller retry
     * @return the decision, or {@code null} when {@code decide} returned null
     */
    Decision hold(CheckRequest request, Hold hold, Instant now, Function<Holds, Decision> decide) {
        Decision[] result = new Decision[1];
        byUser.compute(request.userId(), (k, holds) -> {
            Map<String, LocalHold> live = purge(holds, now);
            Decision d = decide.apply(heldBy(live, request, hold.holdId()));
            result[0] = d;
            if (d != null && d.allowed()) {
                Map<String, LocalHold> next = live == null ? new LinkedHashMap<>() : live;
                next.put(hold.holdId(), new LocalHold(hold, request.subscriptionMode(),
                        Holds.holdsSubscription(request), request.groupId(), request.platform(), request.apiKeyId(),
                        request.model()));
                return next;
            }
            return live;
        });
        return result[0];
    }

    /**
     * @param request the request
     * @param now the current instant
     * @return the amounts live local holds of the user hold in the request's scopes
     */
    Holds held(CheckRequest request, Instant now) {
        Holds[] result = {Holds.NONE};
        byUser.computeIfPresent(request.userId(), (k, holds) -> {
            Map<String, LocalHold> live = purge(holds, now);
            result[0] = heldBy(live, request, null);
            return live;
        });
        return result[0];
    }

    /**
     * @param userId the user
     * @param now the current instant
     * @return true when the user has a live local hold
     */
    boolean any(long userId, Instant now) {
        Map<String, LocalHold> holds = byUser.get(userId);
        if (holds == null) {
            return false;
        }
        boolean[] live = new boolean[1];
        byUser.computeIfPresent(userId, (k, h) -> {
            Map<String, LocalHold> left = purge(h, now);
            live[0] = left != null;
            return left;
        });
        return live[0];
    }

    /**
     * Extends a live hold.
     *
     * @param userId the user
     * @param holdId the hold
     * @param expiresAt the new expiry
     * @param now the current instant
     * @return true when a live hold was extended, false when it was settled, released or has lapsed
     */
    boolean renew(long userId, String holdId, Instant expiresAt, Instant now) {
        boolean[] renewed = new boolean[1];
        byUser.computeIfPresent(userId, (k, holds) -> {
            Map<String, LocalHold> live = purge(holds, now);
            LocalHold h = live == null ? null : live.get(holdId);
            if (h != null && expiresAt.isAfter(h.hold().expiresAt())) {
                live.put(holdId, new LocalHold(new Hold(holdId, h.hold().estimate(), expiresAt), h.subscriptionMode(),
                        h.subscriptionScope(), h.groupId(), h.platform(), h.apiKeyId(), h.model()));
            }
            renewed[0] = h != null;
            return live;
        });
        return renewed[0];
    }

    /**
     * Drops a hold. Idempotent.
     *
     * @param userId the user
     * @param holdId the hold
     * @return true when a hold was dropped
     */
    boolean remove(long userId, String holdId) {
        boolean[] removed = new boolean[1];
        byUser.computeIfPresent(userId, (k, holds) -> {
            removed[0] = holds.remove(holdId) != null;
            return holds.isEmpty() ? null : holds;
        });
        return removed[0];
    }

    /** @return the live holds, or null when none is left */
    private static Map<String, LocalHold> purge(Map<String, LocalHold> holds, Instant now) {
        if (holds == null) {
            return null;
        }
        holds.values().removeIf(h -> !now.isBefore(h.hold().expiresAt()));
        return holds.isEmpty() ? null : holds;
    }

    private static Holds heldBy(Map<String, LocalHold> holds, CheckRequest request, String exceptHoldId) {
        if (holds == null) {
            return Holds.NONE;
        }
        long balance = 0;
        long subscription = 0;
        long platform = 0;
        long key = 0;
        long model = 0;
        for (LocalHold h : holds.values()) {
            if (h.hold().holdId().equals(exceptHoldId)) {
                continue;
            }
            long amount = h.hold().estimate().nanos();
            if (h.subscriptionMode()) {
                if (h.subscriptionScope() && Objects.equals(h.groupId(), request.groupId())) {
                    subscription = Math.addExact(subscription, amount);
                }
            } else {
                balance = Math.addExact(balance, amount);
                if (h.platform() != null && h.platform().equals(request.platform())) {
                    platform = Math.addExact(platform, amount);
                }
            }
            if (h.apiKeyId() != null && h.apiKeyId().equals(request.apiKeyId())) {
                key = Math.addExact(key, amount);
                if (h.model() != null && h.model().equals(request.model())) {
                    model = Math.addExact(model, amount);
                }
            }
        }
        return new Holds(balance, subscription, platform, key, model);
    }

    /**
     * @param a some holds
     * @param b other holds
     * @return the sums per scope
     */
    static Holds plus(Holds a, Holds b) {
        return new Holds(Math.addExact(a.balance(), b.balance()), Math.addExact(a.subscription(), b.subscription()),
                Math.addExact(a.platform(), b.platform()), Math.addExact(a.key(), b.key()),
                Math.addExact(a.model(), b.model()));
    }
}
