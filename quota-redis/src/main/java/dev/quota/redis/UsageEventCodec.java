package dev.quota.redis;

import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import java.nio.charset.StandardCharsets;
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
    private static final byte[] VERSION_BYTES = Ascii.utf8(VERSION);
    private static final byte[] NULL = Ascii.utf8("n");
    private static final byte[] TEXT = Ascii.utf8("s");
    private static final byte[] HEX = Ascii.utf8("h");
    private static final byte[] COLON = Ascii.utf8(":");

    private UsageEventCodec() {
    }

    /**
     * @param e an event
     * @return its outbox text
     */
    static String encode(UsageEvent e) {
        return new String(encodeUtf8(e), StandardCharsets.UTF_8);
    }

    /**
     * The outbox text as UTF-8, written straight into bytes (numbers digit by digit, no intermediate
     * {@code String}s): what the record script receives.
     *
     * @param e an event
     * @return the UTF-8 bytes of {@link #encode}'s text
     */
    static byte[] encodeUtf8(UsageEvent e) {
        Ascii a = Ascii.start().add(VERSION_BYTES);
        text(a, e.requestId());
        number(a, e.userId());
        number(a, e.apiKeyId());
        number(a, e.accountId());
        number(a, e.groupId());
        text(a, e.billingMode().name());
        text(a, e.platform());
        text(a, e.model());
        number(a, e.tokens().input());
        number(a, e.tokens().output());
        number(a, e.tokens().cacheCreation());
        number(a, e.tokens().cacheRead());
        number(a, e.costs().total().nanos());
        number(a, e.costs().actual().nanos());
        number(a, e.costs().input().nanos());
        number(a, e.costs().output().nanos());
        number(a, e.costs().cacheCreation().nanos());
        number(a, e.costs().cacheRead().nanos());
        number(a, e.outcome().httpStatus());
        text(a, e.outcome().errorMessage());
        number(a, e.outcome().responseTimeMs());
        number(a, e.outcome().attempts());
        number(a, e.occurredAt().getEpochSecond());
        number(a, e.occurredAt().getNano());
        return a.bytes();
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
            return UsageEvent.builder(f[0], Long.parseLong(f[1]))
                    .ids(longOrNull(f[2]), longOrNull(f[3]), longOrNull(f[4]))
                    .billingMode(BillingMode.valueOf(f[5])).platform(f[6]).model(f[7])
                    .tokens(Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]))
                    .totalCost(money(f[12])).actualCost(money(f[13]))
                    .costParts(money(f[14]), money(f[15]), money(f[16]), money(f[17]))
                    .httpStatus(Integer.parseInt(f[18])).errorMessage(f[19]).responseTimeMs(Long.parseLong(f[20]))
                    .attempts(Integer.parseInt(f[21]))
                    .occurredAt(Instant.ofEpochSecond(Long.parseLong(f[22]), Integer.parseInt(f[23])))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt outbox event: " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | NullPointerException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("corrupt outbox event: " + e, e);
        }
    }

    private static void text(Ascii a, String s) {
        if (s == null) {
            a.add(NULL);
        } else if (wellFormed(s)) {
            a.add(TEXT).add(s.length()).add(COLON).add(s);
        } else {
            StringBuilder hexes = new StringBuilder(4 * s.length());
            for (int i = 0; i < s.length(); i++) {
                String hex = Integer.toHexString(s.charAt(i));
                hexes.append("0000", hex.length(), 4).append(hex);
            }
            a.add(HEX).add(s.length()).add(COLON).add(hexes.toString());
        }
    }

    /** A number as its decimal text field, {@code s<length>:<digits>}. */
    private static void number(Ascii a, long n) {
        a.add(TEXT).add(Ascii.decimalLength(n)).add(COLON).add(n);
    }

    private static void number(Ascii a, Long n) {
        if (n == null) {
            a.add(NULL);
        } else {
            number(a, n.longValue());
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

    private static Long longOrNull(String s) {
        return s == null ? null : Long.valueOf(Long.parseLong(s));
    }

    private static Money money(String s) {
        return Money.ofNanos(Long.parseLong(s));
    }
}
