package dev.quota.redis;

import java.nio.charset.StandardCharsets;

/**
 * A {@link CharSequence} over bytes that are all ASCII, one char per byte, without copying them: how a reply's
 * numbers reach the cache codecs ({@link ReplyHash}). A view can be pointed at other bytes ({@link #of}), so that
 * one view serves every value of an entry in turn (a codec reads a value once, when it parses it; see
 * {@link dev.quota.core.cache.EntryFields}); a {@link #subSequence} is a view of its own. Not thread-safe.
 */
final class AsciiChars implements CharSequence {

    private static final byte[] NONE = {};

    private byte[] bytes;
    private int from;
    private int to;

    AsciiChars() {
        this(NONE, 0, 0);
    }

    private AsciiChars(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
    }

    /**
     * Points this view at part of an array.
     *
     * @param ascii ASCII bytes ({@link #isAscii}) from {@code from} to {@code to}, not changed while this view
     *     shows them
     * @param from the first byte shown
     * @param to the end, exclusive
     * @return this view
     */
    AsciiChars of(byte[] ascii, int from, int to) {
        this.bytes = ascii;
        this.from = from;
        this.to = to;
        return this;
    }

    /**
     * @param bytes bytes
     * @param from the first byte looked at
     * @param to the end, exclusive
     * @return true when every byte from {@code from} to {@code to} is ASCII (below 0x80), so that those bytes
     *     are their own UTF-8 decoding
     */
    static boolean isAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the number of bytes shown, one char each */
    @Override
    public int length() {
        return to - from;
    }

    /**
     * @param index an index below {@link #length()}
     * @return the byte at that index as a char
     */
    @Override
    public char charAt(int index) {
        if (index < 0 || index >= to - from) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) bytes[from + index];
    }

    /**
     * @param start the first index, inclusive
     * @param end the last index, exclusive
     * @return a view of its own of those bytes (not moved by a later {@link #of})
     */
    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > to - from || start > end) {
            throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + (to - from));
        }
        return new AsciiChars(bytes, from + start, from + end);
    }

    /** @return the bytes shown, as a {@code String} */
    @Override
    public String toString() {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }
}
