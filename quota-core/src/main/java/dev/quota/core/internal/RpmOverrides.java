package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.spi.RpmOverrideStore;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user × group RPM overrides as the check sees them: as stated by the request, else from a small in-process
 * cache refreshed from the store every {@link #TTL} (through the single flight), so that the hot path does not
 * query the store each time. A failed lookup keeps the last value (or none). Thread-safe.
 */
final class RpmOverrides implements GateAdmin.OverrideCache {

    private static final Logger LOG = LoggerFactory.getLogger(RpmOverrides.class);
    /** How long a looked-up override is reused before it is read from the store again. */
    static final Duration TTL = Duration.ofSeconds(60);
    /** Overrides kept in process; the map is emptied when it reaches this size. */
    static final int MAX_SIZE = 100_000;

    private final RpmOverrideStore store;
    private final SingleFlight<String> singleFlight;
    private final ConcurrentHashMap<String, CachedOverride> overrides = new ConcurrentHashMap<>();

    /**
     * @param store the override store, or null (then only overrides the request states apply)
     * @param singleFlight collapses concurrent lookups of one override
     */
    RpmOverrides(RpmOverrideStore store, SingleFlight<String> singleFlight) {
        this.store = store;
        this.singleFlight = singleFlight;
    }

    /** An override as last loaded. */
    private record CachedOverride(OptionalLong value, Instant loadedAt) {
    }

    /**
     * @param request the request
     * @param now the current instant
     * @return the user × group override, empty when there is none (or the request has no group)
     */
    OptionalLong resolve(CheckRequest request, Instant now) {
        if (request.groupRpmOverrideKnown() || request.groupId() == null || store == null) {
            return request.groupRpmOverride();
        }
        long userId = request.userId();
        long groupId = request.groupId();
        String key = key(userId, groupId);
        CachedOverride cached = overrides.get(key);
        if (cached != null && now.isBefore(cached.loadedAt().plus(TTL))) {
            return cached.value();
        }
        try {
            OptionalLong value = singleFlight.load("rpmo:" + key, () -> store.find(userId, groupId));
            if (overrides.size() >= MAX_SIZE) {
                overrides.clear();
            }
            overrides.put(key, new CachedOverride(value, now));
            return value;
        } catch (BackendUnavailableException e) {
            LOG.warn("rpm override lookup failed for user {} group {}: {}", userId, groupId, e.toString());
            return cached != null ? cached.value() : OptionalLong.empty();
        }
    }

    @Override
    public void forget(long userId, long groupId) {
        overrides.remove(key(userId, groupId));
    }

    @Override
    public void forgetUser(long userId) {
        String prefix = userId + ":";
        overrides.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static String key(long userId, long groupId) {
        return userId + ":" + groupId;
    }
}
