package dev.quota.jdbc;

import dev.quota.core.UsageEvent;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Writes events the database refused as data to {@code <prefix>usage_dead_letter}: the user, the request id
 * and the whole event ({@link UsageEvent#toString()}) as escaped text, the database's error and the time. The
 * escaping ({@link #escape}) leaves only characters that every supported database stores unchanged, so that
 * writing a dead letter cannot itself be refused.
 */
final class DeadLetters {

    /** Longest request id and error kept (escaped characters); longer ones are cut, with a marker. */
    static final int MAX_TEXT = 2000;
    /** Longest payload kept (escaped characters). */
    static final int MAX_PAYLOAD = 60_000;

    private final Db db;

    DeadLetters(Db db) {
        this.db = db;
    }

    /** Inserts one dead letter; works inside the caller's transaction. */
    void insert(Handle h, UsageEvent event, String error, Instant now) {
        Args.of().put("userId", event.userId())
                .put("requestId", cut(escape(event.requestId()), MAX_TEXT))
                .put("payload", cut(escape(event.toString()), MAX_PAYLOAD))
                .put("error", cut(escape(error), MAX_TEXT))
                .put("createdAt", now.toEpochMilli())
                .bindTo(db.updateNamed(h, "dead_letter.insert")).execute();
    }

    /**
     * Escapes text for any database: a backslash becomes {@code \\}, every control character (NUL included)
     * and every unpaired surrogate becomes {@code \}{@code uXXXX}; everything else is kept.
     *
     * @param s the text, may be null
     * @return the escaped text ({@code "null"} for null)
     */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max; // never split a pair
        return s.substring(0, end) + "...(cut)";
    }
}
