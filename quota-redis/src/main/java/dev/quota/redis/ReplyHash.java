package dev.quota.redis;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only map view of a hash as a script returns it, the flat {@code HGETALL} list
 * {@code field, value, field, value, ...}: the codecs read a handful of fields by name, so a lookup scans the
 * list instead of copying it into a {@link LinkedHashMap} first. Fields that arrive as bytes are compared
 * in place (no string is made per field scanned); values that arrive as bytes are decoded as UTF-8 on each
 * lookup. Not thread-safe; used by one call.
 */
final class ReplyHash extends AbstractMap<String, String> {

    private final List<?> flat;
    private final int pairs;

    private ReplyHash(List<?> flat) {
        this.flat = flat;
        this.pairs = flat.size() / 2;
    }

    /**
     * @param reply an element of a script reply
     * @return the hash it holds, empty when it is not a list
     */
    static Map<String, String> of(Object reply) {
        if (!(reply instanceof List<?> flat) || flat.size() < 2) {
            return Map.of();
        }
        return new ReplyHash(flat);
    }

    private int indexOf(Object field) {
        if (!(field instanceof String name)) {
            return -1;
        }
        for (int i = 0; i < 2 * pairs; i += 2) {
            Object f = flat.get(i);
            if (f instanceof byte[] b ? sameText(name, b) : name.equals(text(f))) {
                return i;
            }
        }
        return -1;
    }

    /** True when the UTF-8 bytes spell {@code name}; compares ASCII in place, without decoding. */
    private static boolean sameText(String name, byte[] bytes) {
        int n = name.length();
        if (n != bytes.length) {
            return isNonAscii(name) && name.equals(new String(bytes, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return name.equals(new String(bytes, StandardCharsets.UTF_8));
            }
            if (bytes[i] != c) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNonAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String get(Object field) {
        int i = indexOf(field);
        return i < 0 ? null : text(flat.get(i + 1));
    }

    @Override
    public boolean containsKey(Object field) {
        return indexOf(field) >= 0;
    }

    @Override
    public int size() {
        return pairs;
    }

    @Override
    public boolean isEmpty() {
        return pairs == 0;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        // rare (logging, equality): a copy in reply order, the last value of a repeated field winning
        Map<String, String> copy = new LinkedHashMap<>();
        for (int i = 0; i < 2 * pairs; i += 2) {
            copy.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return copy.entrySet();
    }

    private static String text(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(o);
    }
}
