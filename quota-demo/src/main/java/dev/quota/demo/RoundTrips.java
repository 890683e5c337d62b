package dev.quota.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the Redis round trips the demo's client makes, by the operation the calling thread is running
 * ({@link #during}) and by Redis command. Commands sent by threads that run no tagged operation (the gate's
 * cache-write pool, outbox acknowledgements, owed evictions) count as {@link #BACKGROUND}.
 */
public final class RoundTrips {

    /** The operation of commands sent outside any tagged operation. */
    public static final String BACKGROUND = "background";

    private final ThreadLocal<String> operation = new ThreadLocal<>();
    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    /**
     * Runs one call of an operation on this thread, counting the round trips it makes under its name.
     *
     * @param name the operation, e.g. {@code check}
     * @param call the call
     * @param <T> its result
     * @return what {@code call} returned
     */
    public <T> T during(String name, Supplier<T> call) {
        String outer = operation.get();
        operation.set(name);
        calls.computeIfAbsent(name, k -> new LongAdder()).increment();
        try {
            return call.get();
        } finally {
            if (outer == null) {
                operation.remove();
            } else {
                operation.set(outer);
            }
        }
    }

    /**
     * Runs one call of an operation that returns nothing.
     *
     * @param name the operation
     * @param call the call
     */
    public void run(String name, Runnable call) {
        during(name, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Counts one command sent by this thread.
     *
     * @param command the Redis command, e.g. {@code EVALSHA}
     */
    void count(String command) {
        String op = operation.get();
        counts.computeIfAbsent(op == null ? BACKGROUND : op, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(command, k -> new LongAdder()).increment();
    }

    /** @return round trips by operation, then by command, sorted by name */
    public Map<String, Map<String, Long>> byOperation() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((op, byCommand) -> {
            Map<String, Long> commands = new TreeMap<>();
            byCommand.forEach((c, n) -> commands.put(c, n.sum()));
            out.put(op, commands);
        });
        return out;
    }

    /**
     * @param name an operation
     * @return how many calls of it ran through {@link #during}
     */
    public long calls(String name) {
        LongAdder n = calls.get(name);
        return n == null ? 0 : n.sum();
    }

    /** Forgets every count. */
    public void reset() {
        counts.clear();
        calls.clear();
    }
}
