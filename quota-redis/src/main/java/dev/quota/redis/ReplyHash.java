package dev.quota.redis;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.EntryFields;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of a cache entry as Redis returns them ({@link EntryFields}), in one of two forms, both the values of a
 * fixed list of fields in that list's order: as the reservation script returns a usable entry, one bulk string of
 * the values joined with {@code ','} (every field present, and no value of such an entry holds a {@code ','};
 * {@link #over}); or as {@code HMGET} of the list returns them, one value or {@code null} per field
 * ({@link #overValues}, a check's). The field lists are the ones
 * {@code lib.lua} reads ({@code Q_BALANCE_FIELDS}, {@code Q_SUB_FIELDS}, {@code Q_PQ_FIELDS},
 * {@code Q_KEY_FIELDS}; a test holds the two sides equal), so no field name travels back and a lookup is a
 * position. A value of ASCII bytes (every number, every status) is handed to the codec as a view of the reply's
 * bytes ({@link AsciiChars}), one view for all of them in turn, without a {@code String}; any other value is
 * decoded as UTF-8. Not thread-safe; used by one call, which may point it at each of its entries in turn.
 */
final class ReplyHash implements EntryFields {

    /** The schema version field every entry has ({@code CacheFields}' {@code sv}). */
    private static final String SCHEMA = "sv";
    /** The balance entry's fields, in {@code Q_BALANCE_FIELDS}' order. */
    static final String[] BALANCE = {SCHEMA, BalanceEntry.BALANCE};
    /** The subscription entry's fields, in {@code Q_SUB_FIELDS}' order. */
    static final String[] SUBSCRIPTION = {SCHEMA, SubscriptionEntry.STATUS, SubscriptionEntry.EXPIRES_AT,
        SubscriptionEntry.DAILY_USAGE, SubscriptionEntry.DAILY_START, SubscriptionEntry.WEEKLY_USAGE,
        SubscriptionEntry.WEEKLY_START, SubscriptionEntry.MONTHLY_USAGE, SubscriptionEntry.MONTHLY_START};
    /** The platform quota entry's fields, in {@code Q_PQ_FIELDS}' order. */
    static final String[] PLATFORM_QUOTA = {SCHEMA, PlatformQuotaEntry.DAILY_USAGE, PlatformQuotaEntry.DAILY_START,
        PlatformQuotaEntry.WEEKLY_USAGE, PlatformQuotaEntry.WEEKLY_START, PlatformQuotaEntry.MONTHLY_USAGE,
        PlatformQuotaEntry.MONTHLY_START, PlatformQuotaEntry.DAILY_LIMIT, PlatformQuotaEntry.WEEKLY_LIMIT,
        PlatformQuotaEntry.MONTHLY_LIMIT};
    /** The key usage entry's fields, in {@code Q_KEY_FIELDS}' order. */
    static final String[] KEY_USAGE = {SCHEMA, KeyUsageEntry.USAGE_5H, KeyUsageEntry.WINDOW_5H,
        KeyUsageEntry.USAGE_1D, KeyUsageEntry.WINDOW_1D, KeyUsageEntry.USAGE_7D, KeyUsageEntry.WINDOW_7D,
        KeyUsageEntry.TPM_USED, KeyUsageEntry.TPM_START};

    /** The key × model usage entry's fields: the key usage entry's without its tokens ({@code Q_KEY_MODEL_FIELDS}). */
    static final String[] KEY_MODEL_USAGE = Arrays.copyOf(KEY_USAGE, 7);

    /** The longest field list. */
    private static final int MAX_FIELDS = Math.max(Math.max(BALANCE.length, SUBSCRIPTION.length),
            Math.max(PLATFORM_QUOTA.length, KEY_USAGE.length));

    /** The separator of the values. */
    private static final byte SEPARATOR = ',';

    private String[] fields;
    /** The joined form, or null when reading {@link #values}. */
    private byte[] joined;
    /** The {@code HMGET} form, or null when reading {@link #joined}. */
    private List<byte[]> values;
    /** Where value i starts in {@link #joined}; {@code starts[i + 1] - 1} is where it ends. */
    private final int[] starts = new int[MAX_FIELDS + 1];
    /** The view every ASCII value is handed out in, in turn. */
    private final AsciiChars view = new AsciiChars();

    /**
     * @param kind an entry kind
     * @return the fields its reader in {@code lib.lua} reads, in order (one of this class's constants)
     */
    static String[] fieldsOf(dev.quota.core.spi.CacheEntryKind kind) {
        return switch (kind) {
            case BALANCE -> BALANCE;
            case SUBSCRIPTION -> SUBSCRIPTION;
            case PLATFORM_QUOTA -> PLATFORM_QUOTA;
            case KEY_USAGE -> KEY_USAGE;
            case KEY_MODEL_USAGE -> KEY_MODEL_USAGE;
        };
    }

    /** A reader over no entry yet: {@link #over} points it at one. */
    ReplyHash() {
    }

    /**
     * @param fields the field list the script read, one of this class's constants
     * @param reply an element of a script reply
     * @return a new reader of the entry it holds, {@code null} when it is not one value per field, joined
     */
    static ReplyHash of(String[] fields, Object reply) {
        return new ReplyHash().over(fields, reply);
    }

    /**
     * Points this reader at another entry of the reply (the entries of one check are read in turn, so one reader
     * serves them all); what it handed out for the previous entry is not to be read any more.
     *
     * @param fields the field list the script read, one of this class's constants
     * @param reply an element of a script reply
     * @return this reader, now over the entry, or {@code null} (this reader unchanged) when the element is not a
     *     bulk string of one value per field
     */
    ReplyHash over(String[] fields, Object reply) {
        if (!(reply instanceof byte[] bytes)) {
            return null;
        }
        int n = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == SEPARATOR && n++ == fields.length) {
                return null;
            }
        }
        if (n != fields.length) {
            return null;
        }
        starts[0] = 0;
        int value = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == SEPARATOR) {
                starts[value++] = i + 1;
            }
        }
        starts[value] = bytes.length + 1;
        this.fields = fields;
        this.joined = bytes;
        this.values = null;
        return this;
    }

    /**
     * Points this reader at an entry read with {@code HMGET} of its field list, as {@link #over} does.
     *
     * @param fields the field list the entry was read with, one of this class's constants
     * @param values the {@code HMGET} reply: one value per field, {@code null} for an absent one
     * @return this reader, now over the entry, or {@code null} (this reader unchanged) when the reply does not
     *     hold one value per field
     */
    ReplyHash overValues(String[] fields, List<byte[]> values) {
        if (values == null || values.size() != fields.length) {
            return null;
        }
        this.fields = fields;
        this.joined = null;
        this.values = values;
        return this;
    }

    private int indexOf(String field) {
        for (int i = 0; i < fields.length; i++) {
            // the codecs pass the same constants: identity first, then equality
            if (fields[i] == field || fields[i].equals(field)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param field a field of this entry's list
     * @return its value, {@code null} when the field is not in the list; valid until the next call (one view
     *         serves every ASCII value)
     */
    @Override
    public CharSequence get(String field) {
        int i = indexOf(field);
        if (i < 0) {
            return null;
        }
        if (values != null) {
            byte[] v = values.get(i);
            return v == null ? null : text(v, 0, v.length);
        }
        return text(joined, starts[i], starts[i + 1] - 1);
    }

    /** The bytes from {@code from} to {@code to} (exclusive), as an ASCII view or, failing that, as UTF-8. */
    private CharSequence text(byte[] bytes, int from, int to) {
        if (AsciiChars.isAscii(bytes, from, to)) {
            return view.of(bytes, from, to);
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
