package dev.quota.testkit;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
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
 * window are one atomic map operation using {@link WindowUsage#add}. The API key windows the
 * {@link InMemoryUsageLedger} stores are kept apart from the named counters, one record per key and one per key ×
 * model ({@link KeyUsage#addUsage}, {@link KeyModelUsage#addUsage}), as the SQL adapter keeps them in one row each:
 * {@link #findKeyUsage} and {@link #findKeyModelUsage} read them, and no named counter holds them. Failures can be
 * injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryWindowCounterStore extends FaultInjectedFake implements WindowCounterStore {

    /** The longest counter name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    private final Map<String, WindowUsage> counters = new ConcurrentHashMap<>();
    /** API key windows by key id (the user id of a record is not part of its identity: it reads as 0). */
    private final Map<Long, KeyUsage> keys = new ConcurrentHashMap<>();
    private final Map<KeyModel, KeyModelUsage> keyModels = new ConcurrentHashMap<>();

    private record KeyModel(long apiKeyId, String model) {
    }

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

    /**
     * Adds an event's cost to its API key's windows and, with a model, to the key's windows on that model; tokens
     * count in the key's minute only when positive (no fault check: the ledger checks its own).
     */
    void addKeyUsageQuietly(long apiKeyId, String model, long cost, long tokens, Instant now) {
        keys.compute(apiKeyId, (id, old) -> (old == null ? KeyUsage.empty(0, id) : old).addUsage(cost, tokens, now));
        if (model != null) {
            keyModels.compute(new KeyModel(apiKeyId, model), (k, old) -> (old == null
                    ? KeyModelUsage.empty(0, apiKeyId, model) : old).addUsage(cost, now));
        }
    }

    @Override
    public Optional<KeyUsage> findKeyUsage(long userId, long apiKeyId) {
        faults.beforeCall("WindowCounterStore.findKeyUsage");
        return Optional.ofNullable(keys.get(apiKeyId)).map(k -> new KeyUsage(userId, apiKeyId, k.fiveHours(),
                k.oneDay(), k.sevenDays(), k.tokensMinute()));
    }

    @Override
    public Optional<KeyModelUsage> findKeyModelUsage(long userId, long apiKeyId, String model) {
        Objects.requireNonNull(model, "model");
        faults.beforeCall("WindowCounterStore.findKeyModelUsage");
        return Optional.ofNullable(keyModels.get(new KeyModel(apiKeyId, model))).map(m -> new KeyModelUsage(userId,
                apiKeyId, model, m.fiveHours(), m.oneDay(), m.sevenDays()));
    }

    /** Removes every counter and API key window (does not count as a call and ignores injected faults). */
    public void clear() {
        counters.clear();
        keys.clear();
        keyModels.clear();
    }

    private static void requireName(String counter) {
        if (counter == null || counter.isBlank() || counter.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("counter name must be 1 to " + MAX_NAME_LENGTH + " non-blank characters");
        }
    }
}
