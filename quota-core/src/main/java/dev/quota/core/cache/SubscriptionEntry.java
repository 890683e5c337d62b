package dev.quota.core.cache;

import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of a subscription: status, expiry (epoch ms) and the three rolling windows, each as usage
 * (nano-units) and start (epoch ms, empty when none).
 */
public final class SubscriptionEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 1;
    /** Field: status name. */
    public static final String STATUS = "status";
    /** Field: expiry, epoch ms. */
    public static final String EXPIRES_AT = "expires_at";
    /** Field: daily usage. */
    public static final String DAILY_USAGE = "daily_usage";
    /** Field: daily window start. */
    public static final String DAILY_START = "daily_start";
    /** Field: weekly usage. */
    public static final String WEEKLY_USAGE = "weekly_usage";
    /** Field: weekly window start. */
    public static final String WEEKLY_START = "weekly_start";
    /** Field: monthly usage. */
    public static final String MONTHLY_USAGE = "monthly_usage";
    /** Field: monthly window start. */
    public static final String MONTHLY_START = "monthly_start";

    private SubscriptionEntry() {
    }

    /**
     * @param s the subscription
     * @return the hash fields
     */
    public static Map<String, String> encode(SubscriptionState s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        h.put(STATUS, s.status().name());
        h.put(EXPIRES_AT, Long.toString(s.expiresAt().toEpochMilli()));
        CacheFields.putWindow(h, DAILY_USAGE, DAILY_START, s.daily());
        CacheFields.putWindow(h, WEEKLY_USAGE, WEEKLY_START, s.weekly());
        CacheFields.putWindow(h, MONTHLY_USAGE, MONTHLY_START, s.monthly());
        return h;
    }

    /**
     * @param userId the user (from the key)
     * @param groupId the group (from the key)
     * @param hash the stored fields
     * @return the subscription, empty when absent, foreign or corrupt
     */
    public static Optional<SubscriptionState> decode(long userId, long groupId, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return decodeFields(userId, groupId, hash::get);
    }

    /**
     * @param userId the user (from the key)
     * @param groupId the group (from the key)
     * @param fields the stored fields of a present entry
     * @return the subscription, empty when foreign or corrupt
     */
    public static Optional<SubscriptionState> decodeFields(long userId, long groupId, EntryFields fields) {
        try {
            CacheFields.requireVersion(fields, SCHEMA_VERSION);
            SubscriptionStatus status;
            try {
                status = SubscriptionStatus.valueOf(String.valueOf(fields.get(STATUS)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return Optional.of(new SubscriptionState(userId, groupId, status,
                    Instant.ofEpochMilli(CacheFields.longField(fields, EXPIRES_AT)),
                    CacheFields.window(fields, DAILY_USAGE, DAILY_START),
                    CacheFields.window(fields, WEEKLY_USAGE, WEEKLY_START),
                    CacheFields.window(fields, MONTHLY_USAGE, MONTHLY_START)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
