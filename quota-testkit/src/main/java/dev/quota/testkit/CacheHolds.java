package dev.quota.testkit;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.HoldScope;
import dev.quota.core.limit.Holds;
import dev.quota.core.spi.Hold;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The holds of an {@link InMemoryBillingCache}, per user and hold id, each with the scopes it counts against;
 * expired holds stay recorded until {@link #purgeExpired} drops them (as the Redis adapter purges them on the
 * user's next reservation or settlement).
 *
 * <p>Not thread-safe: the owning cache calls it under its lock.
 */
final class CacheHolds {

    /**
     * A live hold and the keys of the scopes it counts against ({@link HoldScope#keyOf}, null where it does not),
     * indexed by scope ordinal, as the Redis adapter records them.
     */
    private record HoldRecord(Hold hold, String[] scopes) {

        HoldRecord withExpiry(Instant expiresAt) {
            return new HoldRecord(new Hold(hold.holdId(), hold.estimate(), expiresAt), scopes);
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
     * touches: a hold counts in a scope when it was recorded under the request's key of that scope.
     */
    Holds heldBy(CheckRequest request, String exceptHoldId) {
        HoldScope[] all = HoldScope.values();
        String[] wanted = scopeKeys(request);
        long[] held = new long[all.length];
        for (HoldRecord r : holdsByUser.getOrDefault(request.userId(), Map.of()).values()) {
            if (r.hold().holdId().equals(exceptHoldId)) {
                continue;
            }
            long amount = r.hold().estimate().nanos();
            for (int k = 0; k < all.length; k++) {
                if (wanted[k] != null && wanted[k].equals(r.scopes()[k])) {
                    held[k] = Math.addExact(held[k], amount);
                }
            }
        }
        return Holds.of(held);
    }

    /** Records an admitted hold in the scopes of its request. */
    void add(CheckRequest request, Hold hold) {
        holdsByUser.computeIfAbsent(request.userId(), u -> new LinkedHashMap<>())
                .put(hold.holdId(), new HoldRecord(hold, scopeKeys(request)));
    }

    private static String[] scopeKeys(CheckRequest request) {
        HoldScope[] all = HoldScope.values();
        String[] keys = new String[all.length];
        for (HoldScope scope : all) {
            keys[scope.ordinal()] = scope.keyOf(request);
        }
        return keys;
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
