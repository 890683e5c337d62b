package dev.quota.core.cache;

import dev.quota.core.limit.KeyUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of an API key's rolling 5 h / 1 d / 7 d usage (nano-units), the tokens of the current minute, and
 * the window starts (epoch ms). Version 2 added the tokens; an entry of version 1 is a miss and is refilled.
 */
public final class KeyUsageEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 2;
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
    /** Field: input + output tokens in the current minute. */
    public static final String TPM_USED = "tpm_used";
    /** Field: the minute's start. */
    public static final String TPM_START = "tpm_start";

    private KeyUsageEntry() {
    }

    /**
     * @param u the usage
     * @return the hash fields
     */
    public static Map<String, String> encode(KeyUsage u) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        CacheFields.putWindow(h, USAGE_5H, WINDOW_5H, u.fiveHours());
        CacheFields.putWindow(h, USAGE_1D, WINDOW_1D, u.oneDay());
        CacheFields.putWindow(h, USAGE_7D, WINDOW_7D, u.sevenDays());
        CacheFields.putWindow(h, TPM_USED, TPM_START, u.tokensMinute());
        return h;
    }

    /**
     * @param userId the owner (from the key)
     * @param apiKeyId the key (from the key)
     * @param hash the stored fields
     * @return the usage, empty when absent, foreign or corrupt
     */
    public static Optional<KeyUsage> decode(long userId, long apiKeyId, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return decodeFields(userId, apiKeyId, hash::get);
    }

    /**
     * @param userId the owner (from the key)
     * @param apiKeyId the key (from the key)
     * @param fields the stored fields of a present entry
     * @return the usage, empty when foreign or corrupt
     */
    public static Optional<KeyUsage> decodeFields(long userId, long apiKeyId, EntryFields fields) {
        try {
            CacheFields.requireVersion(fields, SCHEMA_VERSION);
            return Optional.of(new KeyUsage(userId, apiKeyId,
                    CacheFields.window(fields, USAGE_5H, WINDOW_5H),
                    CacheFields.window(fields, USAGE_1D, WINDOW_1D),
                    CacheFields.window(fields, USAGE_7D, WINDOW_7D),
                    CacheFields.window(fields, TPM_USED, TPM_START)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
