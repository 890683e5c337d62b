package dev.quota.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the byte arrays of keys and script arguments without intermediate {@code String}s: constant parts,
 * decimal integers written digit by digit and UTF-8 text go into a per-thread scratch buffer, and
 * {@link #bytes()} copies out an array of the exact size, the only allocation of a key or number. Not
 * thread-safe: each thread uses its own builder ({@link #start()}), and a builder is reused for the next
 * value as soon as {@link #bytes()} returned.
 */
final class Ascii {

    private static final ThreadLocal<Ascii> SCRATCH = ThreadLocal.withInitial(Ascii::new);
    /** Long.MIN_VALUE has 20 characters. */
    private static final int MAX_LONG_CHARS = 20;

    private byte[] buf = new byte[128];
    private int len;

    private Ascii() {
    }

    /** @return this thread's builder, emptied */
    static Ascii start() {
        Ascii a = SCRATCH.get();
        a.len = 0;
        return a;
    }

    /**
     * @param value any long
     * @return its canonical decimal form ({@link Long#toString(long)}) as ASCII bytes
     */
    static byte[] digits(long value) {
        return start().add(value).bytes();
    }

    /**
     * @param value any long
     * @return the number of characters of its decimal form, sign included
     */
    static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return MAX_LONG_CHARS;
        }
        int n = value < 0 ? 2 : 1;
        for (long v = Math.abs(value); v >= 10; v /= 10) {
            n++;
        }
        return n;
    }

    /**
     * @param text any text
     * @return its UTF-8 bytes
     */
    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param part bytes to append as they are
     * @return this
     */
    Ascii add(byte[] part) {
        ensure(part.length);
        System.arraycopy(part, 0, buf, len, part.length);
        len += part.length;
        return this;
    }

    /**
     * @param value a long to append in decimal, as {@link Long#toString(long)} writes it
     * @return this
     */
    Ascii add(long value) {
        ensure(MAX_LONG_CHARS);
        if (value == Long.MIN_VALUE) {
            return add(Long.toString(value));
        }
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len = end;
        return this;
    }

    /**
     * @param text text to append as UTF-8 (ASCII is copied character by character)
     * @return this
     */
    Ascii add(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return add(utf8(text));
            }
            buf[len + i] = (byte) c;
        }
        len += n;
        return this;
    }

    /** @return the bytes appended since {@link #start()}, as a new array of the exact size */
    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
