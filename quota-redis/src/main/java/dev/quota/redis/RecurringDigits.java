package dev.quota.redis;

/**
 * The decimal digits of values that recur from call to call (the caps of the limits a check sends, which come
 * from configuration; the start of the current minute, which every call of the minute sends), remembered in a small direct-mapped table so that a recurring value is encoded once
 * rather than on every call; a value that does not recur costs one table probe more than encoding it. Each
 * table slot holds the last value that mapped to it. Thread-safe: an entry is immutable (final fields, so a
 * thread that reads it sees it whole) and a racing write only replaces one correct entry by another.
 */
final class RecurringDigits {

    /** A power of two. */
    private static final int SLOTS = 64;

    /** One remembered value and its digits. */
    private record Entry(long value, Arg digits) {
    }

    private final Entry[] table = new Entry[SLOTS];

    /**
     * @param value any long
     * @return its canonical decimal digits ({@link Ascii#digits}), the same argument object while the value keeps
     *         its slot
     */
    Arg digits(long value) {
        int slot = (int) ((value ^ (value >>> 32)) * 0x9E3779B97F4A7C15L >>> 58);
        Entry e = table[slot];
        if (e != null && e.value() == value) {
            return e.digits();
        }
        Entry fresh = new Entry(value, Arg.of(Ascii.digits(value)));
        table[slot] = fresh;
        return fresh.digits();
    }
}
