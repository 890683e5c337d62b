package dev.quota.core.cache;

import dev.quota.core.limit.KeyModelUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of an API key's rolling 5 h / 1 d / 7 d usage (nano-units) on one model and the window starts
 * (epoch ms); the fields are named as the key usage entry's spend windows.
 */
public final class KeyModelUsageEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 1;
    /** Field: 5 h usage. */
    public static final String USAGE_5H = "usage_5h";
    /** Field: 5 h window start. */
    public static final String WINDOW_5H = "window_5h";
    /** Field: 1 d usage. */
    public static final String USAGE_1D = "usage_1d";
    /** Field: 1 d window start. */
    public static final String WINDOW_1D = "window_1d";
    /** Field: 7 d usage. */
    public static final String USAGE_7D = "usage_7d";
    /** Field: 7 d window start. */
    public static final String WINDOW_7D = "window_7d";

    private KeyModelUsageEntry() {
    }

    /**
     * @param u the usage
     * @return the hash fields
     */
    public static Map<String, String> encode(KeyModelUsage u) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        CacheFields.putWindow(h, USAGE_5H, WINDOW_5H, u.fiveHours());
        CacheFields.putWindow(h, USAGE_1D, WINDOW_1D, u.oneDay());
        CacheFields.putWindow(h, USAGE_7D, WINDOW_7D, u.sevenDays());
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
        try {
            CacheFields.requireVersion(hash, SCHEMA_VERSION);
            return Optional.of(new KeyModelUsage(userId, apiKeyId, model,
                    CacheFields.window(hash, USAGE_5H, WINDOW_5H),
                    CacheFields.window(hash, USAGE_1D, WINDOW_1D),
                    CacheFields.window(hash, USAGE_7D, WINDOW_7D)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
