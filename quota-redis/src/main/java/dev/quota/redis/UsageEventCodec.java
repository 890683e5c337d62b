package dev.quota.redis;

import dev.quota.core.money.Money;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import java.time.Instant;

/**
 * The text form of a {@link UsageEvent} in the Redis outbox. It round-trips every component exactly: every
 * field, {@code null}s, any Unicode text (a string with a lone surrogate, which UTF-8 cannot carry, is
 * written as UTF-16 hex), every {@code long} value and the instant to the nanosecond.
 *
 * <p>Format: {@code "u1"} followed by the 24 fields in record order ({@code occurredAt} as epoch second and
 * nano of second), each as {@code n} (null), {@code s<length>:<text>} or {@code h<length>:<4 hex digits per
 * char>}, where the length counts UTF-16 chars. Numbers are decimal text. Stateless and thread-safe.
 */
final class UsageEventCodec {

    private static final String VERSION = "u1";
    private static final int FIELDS = 24;

    private UsageEventCodec() {
    }

    /**
     * @param e an event
     * @return its outbox text
     */
    static String encode(UsageEvent e) {
        StringBuilder sb = new StringBuilder(160 + (e.errorMessage() == null ? 0 : e.errorMessage().length()));
        sb.append(VERSION);
        text(sb, e.requestId());
        text(sb, Long.toString(e.userId()));
        text(sb, number(e.apiKeyId()));
        text(sb, number(e.accountId()));
        text(sb, number(e.groupId()));
        text(sb, e.billingMode().name());
        text(sb, e.platform());
        text(sb, e.model());
        text(sb, Long.toString(e.inputTokens()));
        text(sb, Long.toString(e.outputTokens()));
        text(sb, Long.toString(e.cacheCreationTokens()));
        text(sb, Long.toString(e.cacheReadTokens()));
        text(sb, Long.toString(e.totalCost().nanos()));
        text(sb, Long.toString(e.actualCost().nanos()));
        text(sb, Long.toString(e.inputCost().nanos()));
        text(sb, Long.toString(e.outputCost().nanos()));
        text(sb, Long.toString(e.cacheCreationCost().nanos()));
        text(sb, Long.toString(e.cacheReadCost().nanos()));
        text(sb, Integer.toString(e.httpStatus()));
        text(sb, e.errorMessage());
        text(sb, Long.toString(e.responseTimeMs()));
        text(sb, Integer.toString(e.attempts()));
        text(sb, Long.toString(e.occurredAt().getEpochSecond()));
        text(sb, Integer.toString(e.occurredAt().getNano()));
        return sb.toString();
    }

    /**
     * @param text an outbox text written by {@link #encode}
     * @return the event
     * @throws IllegalArgumentException when the text is not a valid encoding of a valid event
     */
    static UsageEvent decode(String text) {
        if (text == null || !text.startsWith(VERSION)) {
            throw new IllegalArgumentException("not an outbox event of version " + VERSION);
        }
        String[] f = new String[FIELDS];
        int pos = VERSION.length();
        try {
            for (int i = 0; i < FIELDS; i++) {
                char tag = text.charAt(pos);
                if (tag == 'n') {
                    pos++;
                    continue;
                }
                int colon = text.indexOf(':', pos + 1);
                int length = Integer.parseInt(text, pos + 1, colon, 10);
                if (length < 0) {
                    throw new IllegalArgumentException("negative length at " + pos);
                }
                int start = colon + 1;
                if (tag == 's') {
                    f[i] = text.substring(start, start + length);
                    pos = start + length;
                } else if (tag == 'h') {
                    f[i] = unhex(text, start, length);
                    pos = start + 4 * length;
                } else {
                    throw new IllegalArgumentException("unknown field tag '" + tag + "' at " + pos);
                }
            }
            if (pos != text.length()) {
                throw new IllegalArgumentException("trailing characters after the last field");
            }
            return new UsageEvent(f[0], Long.parseLong(f[1]), longOrNull(f[2]), longOrNull(f[3]), longOrNull(f[4]),
                    BillingMode.valueOf(f[5]), f[6], f[7],
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]),
                    money(f[12]), money(f[13]), money(f[14]), money(f[15]), money(f[16]), money(f[17]),
                    Integer.parseInt(f[18]), f[19], Long.parseLong(f[20]), Integer.parseInt(f[21]),
                    Instant.ofEpochSecond(Long.parseLong(f[22]), Integer.parseInt(f[23])));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt outbox event: " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("corrupt outbox event: " + e, e);
        }
    }

    private static void text(StringBuilder sb, String s) {
        if (s == null) {
            sb.append('n');
        } else if (wellFormed(s)) {
            sb.append('s').append(s.length()).append(':').append(s);
        } else {
            sb.append('h').append(s.length()).append(':');
            for (int i = 0; i < s.length(); i++) {
                String hex = Integer.toHexString(s.charAt(i));
                sb.append("0000", hex.length(), 4).append(hex);
            }
        }
    }

    /** True when the text has no lone surrogate, so that UTF-8 carries it unchanged. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String unhex(String text, int start, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = (char) Integer.parseInt(text, start + 4 * i, start + 4 * i + 4, 16);
        }
        return new String(out);
    }

    private static String number(Long n) {
        return n == null ? null : Long.toString(n);
    }

    private static Long longOrNull(String s) {
        return s == null ? null : Long.valueOf(Long.parseLong(s));
    }

    private static Money money(String s) {
        return Money.ofNanos(Long.parseLong(s));
    }
}
