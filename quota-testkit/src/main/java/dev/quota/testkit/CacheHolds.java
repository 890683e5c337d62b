package dev.quota.testkit;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.spi.Hold;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The holds of an {@link InMemoryBillingCache}, per user and hold id, each with the scopes it counts against;
 * expired holds stay recorded until {@link #purgeExpired} drops them (as the Redis adapter purges them on the
 * user's next reservation or settlement).
 *
 * <p>Not thread-safe: the owning cache calls it under its lock.
 */
final class CacheHolds {

    /**
     * A live hold and the scopes it counts against; {@code subscriptionScope} is false for a subscription-mode
     * hold of an unlimited subscription ({@link Holds#holdsSubscription}).
     */
    private record HoldRecord(Hold hold, boolean subscriptionMode, boolean subscriptionScope, Long groupId,
                              String platform, Long apiKeyId) {

        HoldRecord withExpiry(Instant expiresAt) {
            return new HoldRecord(new Hold(hold.holdId(), hold.estimate(), expiresAt), subscriptionMode,
                    subscriptionScope, groupId, platform, apiKeyId);
        }
    }

    private final Map<Long, Map<String, HoldRecord>> holdsByUser = new HashMap<>();

    /** Drops the user's holds that expired at {@code now}. */
    void purgeExpired(long userId, Instant now) {
        Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
        if (userHolds != null) {
            userHolds.values().removeIf(r -> !now.isBefore(r.hold().expiresAt()));
            forgetIfEmpty(userId, userHolds);
        }
    }

    /** @return true when the user has a recorded hold of this id */
    boolean contains(long userId, String holdId) {
        Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
        return userHolds != null && userHolds.containsKey(holdId);
    }

    /**
     * Sums the recorded holds of the request's user, except {@code exceptHoldId}, per scope the request
     * touches: balance, its subscription group, its platform, its API key.
     */
    Holds heldBy(CheckRequest request, String exceptHoldId) {
        long balance = 0;
        long subscription = 0;
        long platform = 0;
        long key = 0;
        for (HoldRecord r : holdsByUser.getOrDefault(request.userId(), Map.of()).values()) {
            if (r.hold().holdId().equals(exceptHoldId)) {
                continue;
            }
            long amount = r.hold().estimate().nanos();
            if (r.subscriptionMode()) {
                if (r.subscriptionScope() && Objects.equals(r.groupId(), request.groupId())) {
                    subscription = Math.addExact(subscription, amount);
                }
            } else {
                balance = Math.addExact(balance, amount);
                if (r.platform() != null && r.platform().equals(request.platform())) {
                    platform = Math.addExact(platform, amount);
                }
            }
            if (r.apiKeyId() != null && r.apiKeyId().equals(request.apiKeyId())) {
                key = Math.addExact(key, amount);
            }
        }
        return new Holds(balance, subscription, platform, key);
    }

    /** Records an admitted hold in the scopes of its request. */
    void add(CheckRequest request, Hold hold) {
        holdsByUser.computeIfAbsent(request.userId(), u -> new LinkedHashMap<>())
                .put(hold.holdId(), new HoldRecord(hold, request.subscriptionMode(), Holds.holdsSubscription(request),
                        request.groupId(), request.platform(), request.apiKeyId()));
    }

    /** @return true when the hold was recorded and is now dropped */
    boolean remove(long userId, String holdId) {
        Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
        if (userHolds == null) {
            return false;
        }
        boolean removed = userHolds.remove(holdId) != null;
        forgetIfEmpty(userId, userHolds);
        return removed;
    }

    /**
     * Extends a recorded hold to {@code expiresAt}; an earlier expiry keeps the later one.
     *
     * @return true when the hold is recorded
     */
    boolean renew(long userId, String holdId, Instant expiresAt) {
        Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
        HoldRecord record = userHolds == null ? null : userHolds.get(holdId);
        if (record == null) {
            return false;
        }
        if (expiresAt.isAfter(record.hold().expiresAt())) {
            userHolds.put(holdId, record.withExpiry(expiresAt));
        }
        return true;
    }

    /** @return the user's recorded holds, including expired ones not purged yet */
    List<Hold> holds(long userId) {
        return holdsByUser.getOrDefault(userId, Map.of()).values().stream().map(HoldRecord::hold).toList();
    }

    /** Drops every hold. */
    void clear() {
        holdsByUser.clear();
    }

    private void forgetIfEmpty(long userId, Map<String, HoldRecord> userHolds) {
        if (userHolds.isEmpty()) {
            holdsByUser.remove(userId);
        }
    }
}
