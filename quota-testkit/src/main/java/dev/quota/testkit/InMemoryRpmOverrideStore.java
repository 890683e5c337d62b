package dev.quota.testkit;

import dev.quota.core.spi.RpmOverrideStore;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link RpmOverrideStore}: user × group overrides in a concurrent map. Failures can be
 * injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryRpmOverrideStore extends FaultInjectedFake implements RpmOverrideStore {

    private final Map<UserGroup, Long> overrides = new ConcurrentHashMap<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemoryRpmOverrideStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryRpmOverrideStore(Faults faults) {
        super(faults);
    }

    @Override
    public OptionalLong find(long userId, long groupId) {
        faults.beforeCall("RpmOverrideStore.find");
        Long rpm = overrides.get(new UserGroup(userId, groupId));
        return rpm == null ? OptionalLong.empty() : OptionalLong.of(rpm);
    }

    @Override
    public void set(long userId, long groupId, long rpm) {
        if (rpm < 0) {
            throw new IllegalArgumentException("rpm must not be negative: " + rpm);
        }
        faults.beforeCall("RpmOverrideStore.set");
        overrides.put(new UserGroup(userId, groupId), rpm);
    }

    @Override
    public void remove(long userId, long groupId) {
        faults.beforeCall("RpmOverrideStore.remove");
        overrides.remove(new UserGroup(userId, groupId));
    }

    /** Removes every override (does not count as a call and ignores injected faults). */
    public void clear() {
        overrides.clear();
    }
}
