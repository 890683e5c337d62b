package dev.quota.core.cache;

import dev.quota.core.Money;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cache schema of a user's balance: a hash with {@value #BALANCE} (nano-units as a decimal integer string)
 * and the schema version in {@code sv}.
 */
public final class BalanceEntry {

    /** Current schema version. */
    public static final int SCHEMA_VERSION = 1;
    /** Field: balance in nano-units. */
    public static final String BALANCE = "balance";

    private BalanceEntry() {
    }

    /**
     * @param balance the balance
     * @return the hash fields
     */
    public static Map<String, String> encode(Money balance) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(CacheFields.SCHEMA, Integer.toString(SCHEMA_VERSION));
        h.put(BALANCE, Long.toString(balance.nanos()));
        return h;
    }

    /**
     * @param hash the stored fields (empty when the key is absent)
     * @return the balance, empty when absent, of another schema version, or unparsable
     */
    public static Optional<Money> decode(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        return decodeFields(hash::get);
    }

    /**
     * @param fields the stored fields of a present entry
     * @return the balance, empty when of another schema version or unparsable
     */
    public static Optional<Money> decodeFields(EntryFields fields) {
        try {
            CacheFields.requireVersion(fields, SCHEMA_VERSION);
            return Optional.of(Money.ofNanos(CacheFields.longField(fields, BALANCE)));
        } catch (CacheFields.Stale stale) {
            return Optional.empty();
        }
    }
}
