package dev.quota.redis;

import java.util.Arrays;
import redis.clients.jedis.args.Rawable;

/**
 * One command argument as the bytes it is sent as, without the copy Jedis makes of every {@code byte[]} it is
 * given ({@code RawableFactory.from}): the adapter never changes an array once it built it, so constant
 * arguments are wrapped once and sent as they are, and per-call arguments cost one small object. Immutable by
 * convention (the array is not copied) and thread-safe.
 */
final class Arg implements Rawable {

    private final byte[] raw;

    private Arg(byte[] raw) {
        this.raw = raw;
    }

    /**
     * @param raw the bytes, never changed afterwards
     * @return the argument
     */
    static Arg of(byte[] raw) {
        return new Arg(raw);
    }

    /**
     * @param o a {@code byte[]} or an {@code Arg}
     * @return it as an argument
     * @throws IllegalArgumentException for anything else
     */
    static Rawable from(Object o) {
        if (o instanceof Rawable r) {
            return r;
        }
        if (o instanceof byte[] b) {
            return new Arg(b);
        }
        throw new IllegalArgumentException("not a script argument: " + o);
    }

    /** @return the bytes, not copied */
    @Override
    public byte[] getRaw() {
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rawable r && Arrays.equals(raw, r.getRaw());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
}
