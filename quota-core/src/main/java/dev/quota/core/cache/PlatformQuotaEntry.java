package dev.quota.core.cache;

import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of a user × platform quota entry: usage (nano-units) and start (epoch ms) of the day, week
 * and 30-day windows, plus the <em>effective</em> limits (nano-units; empty string = unset) so that a
 * cache hit needs no store query. An entry of an older schema version (including one without the
 * version field) is a miss: it is never incremented and the service rebuilds it from the store.
 */
public final class PlatformQuotaEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 1;
    /** Field: daily usage. */
    public static final String DAILY_USAGE = "daily_usage";
    /** Field: daily window start. */
    public static final String DAILY_START = "daily_window_start";
    /** Field: weekly usage. */
    public static final String WEEKLY_USAGE = "weekly_usage";
    /** Field: weekly window start. */
    public static final String WEEKLY_START = "weekly_window_start";
    /** Field: monthly usage. */
    public static final String MONTHLY_USAGE = "monthly_usage";
    /** Field: monthly window start. */
    public static final String MONTHLY_START = "monthly_window_start";
    /** Field: daily limit. */
    public static final String DAILY_LIMIT = "daily_limit";
    /** Field: weekly limit. */
    public static final String WEEKLY_LIMIT = "weekly_limit";
    /** Field: monthly limit. */
    public static final String MONTHLY_LIMIT = "monthly_limit";

    private PlatformQuotaEntry() {
    }

    /**
     * @param e the entry; {@code e.limits()} must be the effective limits
     * @return the hash fields
     * @throws IllegalArgumentException if the limits are null
     */
    public static Map<String, String> encode(PlatformQuotaRecord e) {
        if (e.limits() == null) {
            throw new IllegalArgumentException("a cached platform quota entry needs its effective limits");
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        CacheFields.putWindow(h, DAILY_USAGE, DAILY_START, e.daily());
        CacheFields.putWindow(h, WEEKLY_USAGE, WEEKLY_START, e.weekly());
        CacheFields.putWindow(h, MONTHLY_USAGE, MONTHLY_START, e.monthly());
        h.put(DAILY_LIMIT, CacheFields.optional(e.limits().daily().capOrNull()));
        h.put(WEEKLY_LIMIT, CacheFields.optional(e.limits().weekly().capOrNull()));
        h.put(MONTHLY_LIMIT, CacheFields.optional(e.limits().monthly().capOrNull()));
        return h;
    }

    /**
     * @param userId the user (from the key)
     * @param platform the platform (from the key)
     * @param hash the stored fields
     * @return the entry with effective limits, empty when absent, foreign or corrupt
     */
    public static Optional<PlatformQuotaRecord> decode(long userId, String platform, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return decodeFields(userId, platform, hash::get);
    }

    /**
     * @param userId the user (from the key)
     * @param platform the platform (from the key)
     * @param fields the stored fields of a present entry
     * @return the entry with effective limits, empty when foreign or corrupt
     */
    public static Optional<PlatformQuotaRecord> decodeFields(long userId, String platform, EntryFields fields) {
        try {
            CacheFields.requireVersion(fields, SCHEMA_VERSION);
            PeriodLimits limits = new PeriodLimits(CacheFields.limit(fields, DAILY_LIMIT),
                    CacheFields.limit(fields, WEEKLY_LIMIT), CacheFields.limit(fields, MONTHLY_LIMIT));
            return Optional.of(new PlatformQuotaRecord(userId, platform, limits,
                    CacheFields.window(fields, DAILY_USAGE, DAILY_START),
                    CacheFields.window(fields, WEEKLY_USAGE, WEEKLY_START),
                    CacheFields.window(fields, MONTHLY_USAGE, MONTHLY_START)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
