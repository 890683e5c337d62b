package dev.quota.testkit;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link WindowCounterStore}: counters by name; an increment and the reset of an expired
 * window are one atomic map operation using {@link WindowUsage#add}. Failures can be injected through
 * {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryWindowCounterStore extends FaultInjectedFake implements WindowCounterStore {

    /** The longest counter name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    private final Map<String, WindowUsage> counters = new ConcurrentHashMap<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemoryWindowCounterStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryWindowCounterStore(Faults faults) {
        super(faults);
    }

    @Override
    public WindowUsage add(String counter, Window window, long amount, Instant now, ZoneId zone) {
        requireName(counter);
        Objects.requireNonNull(window, "window");
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("WindowCounterStore.add");
        return addQuietly(counter, window, amount, now, zone);
    }

    WindowUsage addQuietly(String counter, Window window, long amount, Instant now, ZoneId zone) {
        return counters.compute(counter,
                (name, old) -> (old == null ? WindowUsage.EMPTY : old).add(window, amount, now, zone));
    }

    @Override
    public Optional<WindowUsage> find(String counter) {
        Objects.requireNonNull(counter, "counter");
        faults.beforeCall("WindowCounterStore.find");
        return Optional.ofNullable(counters.get(counter));
    }

    /** Removes every counter (does not count as a call and ignores injected faults). */
    public void clear() {
        counters.clear();
    }

    private static void requireName(String counter) {
        if (counter == null || counter.isBlank() || counter.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("counter name must be 1 to " + MAX_NAME_LENGTH + " non-blank characters");
        }
    }
}
