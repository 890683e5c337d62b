package dev.quota.core.cache;

import dev.quota.core.limit.KeyModelUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of an API key's rolling 5 h / 1 d / 7 d usage (nano-units) on one model and the window starts
 * (epoch ms): the spend-window fields of {@link KeyUsageEntry} ({@link KeyUsageEntry#USAGE_5H} ...
 * {@link KeyUsageEntry#WINDOW_7D}), without its tokens.
 */
public final class KeyModelUsageEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 1;
    private KeyModelUsageEntry() {
    }

    /**
     * @param u the usage
     * @return the hash fields
     */
    public static Map<String, String> encode(KeyModelUsage u) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        CacheFields.putWindow(h, KeyUsageEntry.USAGE_5H, KeyUsageEntry.WINDOW_5H, u.fiveHours());
        CacheFields.putWindow(h, KeyUsageEntry.USAGE_1D, KeyUsageEntry.WINDOW_1D, u.oneDay());
        CacheFields.putWindow(h, KeyUsageEntry.USAGE_7D, KeyUsageEntry.WINDOW_7D, u.sevenDays());
        return h;
    }

    /**
     * @param userId the owner (from the key)
     * @param apiKeyId the key (from the key)
     * @param model the model (from the key)
     * @param hash the stored fields
     * @return the usage, empty when absent, foreign or corrupt
     */
    public static Optional<KeyModelUsage> decode(long userId, long apiKeyId, String model, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return decodeFields(userId, apiKeyId, model, hash::get);
    }

    /**
     * @param userId the owner (from the key)
     * @param apiKeyId the key (from the key)
     * @param model the model (from the key)
     * @param fields the stored fields of a present entry
     * @return the usage, empty when foreign or corrupt
     */
    public static Optional<KeyModelUsage> decodeFields(long userId, long apiKeyId, String model, EntryFields fields) {
        try {
            CacheFields.requireVersion(fields, SCHEMA_VERSION);
            return Optional.of(new KeyModelUsage(userId, apiKeyId, model,
                    CacheFields.window(fields, KeyUsageEntry.USAGE_5H, KeyUsageEntry.WINDOW_5H),
                    CacheFields.window(fields, KeyUsageEntry.USAGE_1D, KeyUsageEntry.WINDOW_1D),
                    CacheFields.window(fields, KeyUsageEntry.USAGE_7D, KeyUsageEntry.WINDOW_7D)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
