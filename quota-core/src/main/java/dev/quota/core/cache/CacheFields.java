package dev.quota.core.cache;

import dev.quota.core.Limit;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.Map;

/**
 * Strict parsing of cache hash fields. Every failure throws {@link Stale}, which the codecs turn into a
 * miss: a foreign or corrupt entry is never an error and never a wrong answer.
 */
final class CacheFields {

    /** Field holding the schema version in every entry. */
    static final String SCHEMA = "sv";

    private CacheFields() {
    }

    /** Signals an unusable entry. */
    static final class Stale extends Exception {
        private static final long serialVersionUID = 1L;

        Stale(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The version must be written exactly as {@link Integer#toString(int)} writes it; that is the canonical form
     * {@link #canonicalLong} accepts, which has one spelling per value.
     */
    static void requireVersion(EntryFields h, int version) throws Stale {
        CharSequence v = h.get(SCHEMA);
        if (v == null || canonicalLong(v, SCHEMA) != version) {
            throw new Stale("schema version " + v);
        }
    }

    static long longField(EntryFields h, String field) throws Stale {
        CharSequence v = h.get(field);
        if (v == null || v.length() == 0) {
            throw new Stale("missing " + field);
        }
        return canonicalLong(v, field);
    }

    /**
     * Parses only the canonical decimal form Redis itself writes and accepts for {@code HINCRBY}: an optional
     * minus sign, ASCII digits, no leading zeros, no plus sign, within 64 bits.
     */
    static long canonicalLong(CharSequence v, String field) throws Stale {
        int n = v.length();
        boolean negative = n > 0 && v.charAt(0) == '-';
        int i = negative ? 1 : 0;
        if (n == i || n > 20 || (v.charAt(i) == '0' && (n > i + 1 || negative))) {
            throw new Stale("not canonical " + field);
        }
        for (int k = i; k < n; k++) {
            char c = v.charAt(k);
            if (c < '0' || c > '9') {
                throw new Stale("unparsable " + field);
            }
        }
        try {
            return Long.parseLong(v, 0, n, 10);
        } catch (NumberFormatException e) {
            throw new Stale("out of range " + field);
        }
    }

    static long nonNegative(EntryFields h, String field) throws Stale {
        long v = longField(h, field);
        if (v < 0) {
            throw new Stale("negative " + field);
        }
        return v;
    }

    /** A field that may be empty ("none") but must be present. */
    private static CharSequence present(EntryFields h, String field) throws Stale {
        CharSequence v = h.get(field);
        if (v == null) {
            throw new Stale("missing " + field);
        }
        return v;
    }

    /** A cap in nanos: empty means unlimited; a negative cap is stale. Read without boxing. */
    static Limit limit(EntryFields h, String field) throws Stale {
        CharSequence v = present(h, field);
        if (v.length() == 0) {
            return Limit.unlimited();
        }
        long cap = canonicalLong(v, field);
        if (cap < 0) {
            throw new Stale("negative " + field);
        }
        return Limit.of(cap);
    }

    /** A window's usage and start (epoch ms; empty means none), read without boxing. */
    static WindowUsage window(EntryFields h, String usageField, String startField) throws Stale {
        long used = nonNegative(h, usageField);
        CharSequence start = present(h, startField);
        return new WindowUsage(used, start.length() == 0 ? null : Instant.ofEpochMilli(canonicalLong(start, startField)));
    }

    static void putWindow(Map<String, String> h, String usageField, String startField, WindowUsage w) {
        h.put(usageField, Long.toString(w.used()));
        h.put(startField, w.start() == null ? "" : Long.toString(w.start().toEpochMilli()));
    }

    static String optional(Long v) {
        return v == null ? "" : Long.toString(v);
    }
}
