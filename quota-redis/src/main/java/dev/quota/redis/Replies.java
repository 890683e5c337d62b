package dev.quota.redis;

import dev.quota.core.BackendUnavailableException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decoding of script and command replies, written once for the adapter. A reply of an unexpected shape means the
 * server is not running Quota's script (or is not Redis): it is reported as {@link BackendUnavailableException}.
 */
final class Replies {

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Replies() {
    }

    static List<?> list(Object reply, int size, LuaScript script) {
        if (reply instanceof List<?> l && l.size() == size) {
            return l;
        }
        throw new BackendUnavailableException("unexpected reply from Redis script " + script.name() + ": " + reply);
    }

    static boolean flag(Object o) {
        return number(o) != 0;
    }

    static long number(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o == null) {
            return 0;
        }
        try {
            return Long.parseLong(text(o));
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException("unexpected number in Redis reply: " + o);
        }
    }

    /** A held amount: a decimal string of any length from the script, saturated to a long. */
    static long amount(Object o) {
        String s = text(o);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new BigInteger(s).min(LONG_MAX).longValueExact();
            } catch (NumberFormatException | ArithmeticException e2) {
                throw new BackendUnavailableException("unexpected amount in Redis reply: " + s);
            }
        }
    }

    /** A bulk reply (bytes, UTF-8) or any other reply as text. */
    static String text(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(o);
    }
}
