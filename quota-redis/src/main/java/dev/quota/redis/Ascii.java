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
    /** 10^0 .. 10^18: a value not negative has n digits when it is below POWERS_OF_TEN[n]. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** The tens and ones digit of 0 .. 99. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++, p *= 10) {
            POWERS_OF_TEN[i] = p;
        }
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

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
        return value < 0 ? 1 + digitCount(-value) : digitCount(value);
    }

    /** The number of decimal digits of a value that is not negative: comparisons only, no division. */
    private static int digitCount(long value) {
        int n = 1;
        while (n < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

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
        int end = len + digitCount(value);
        int i = end;
        // two digits per division, as Long.getChars does
        while (value >= 100) {
            long q = value / 100;
            int r = (int) (value - q * 100);
            buf[--i] = ONES[r];
            buf[--i] = TENS[r];
            value = q;
        }
        int r = (int) value;
        buf[--i] = ONES[r];
        if (r >= 10) {
            buf[--i] = TENS[r];
        }
        len = end;
        return this;
    }

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
