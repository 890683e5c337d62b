package dev.quota.testkit;

import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CheckView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The entries of an {@link InMemoryBillingCache} in their encoded hash form, with the dirty markers that refuse
 * refills: a refill writes only when no valid entry is cached and the entry is not dirty; an eviction drops the
 * entry and marks it dirty for the configured time by the clock.
 *
 * <p>Not thread-safe: the owning cache calls it under its lock.
 */
final class CacheEntryStore {

    /**
     * The identity of a raw entry as the cache's test helpers take it ({@code putRaw}), validated.
     *
     * @param kind the entry kind
     * @param userId the owner
     * @param qualifier {@code null} for a balance; the group or API key id in decimal; the platform; or
     *     {@code <api key id>:<model>}
     * @return the entry's identity
     */
    static EntryRef rawRef(CacheEntryKind kind, long userId, String qualifier) {
        Objects.requireNonNull(kind, "kind");
        if (kind == CacheEntryKind.BALANCE) {
            return EntryRef.balance(userId);
        }
        if (qualifier == null || qualifier.isBlank()) {
            throw new IllegalArgumentException(kind + " entries need a qualifier (group id, platform or API key id)");
        }
        return switch (kind) {
            case PLATFORM_QUOTA -> EntryRef.platformQuota(userId, qualifier);
            case KEY_MODEL_USAGE -> {
                int colon = qualifier.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(kind + " qualifier must be <api key id>:<model>: " + qualifier);
                }
                yield EntryRef.keyModelUsage(userId, decimal(kind, qualifier.substring(0, colon)),
                        qualifier.substring(colon + 1));
            }
            case SUBSCRIPTION -> EntryRef.subscription(userId, decimal(kind, qualifier));
            default -> EntryRef.keyUsage(userId, decimal(kind, qualifier));
        };
    }

    private static long decimal(CacheEntryKind kind, String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " qualifier must be a decimal id: " + id, e);
        }
    }

    private final Map<EntryRef, Map<String, String>> entries = new HashMap<>();
    private final Map<EntryRef, Instant> dirtyUntil = new HashMap<>();
    private final Clock clock;
    private final Duration dirtyTtl;

    CacheEntryStore(Clock clock, Duration dirtyTtl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (dirtyTtl == null || dirtyTtl.isZero() || dirtyTtl.isNegative()) {
            throw new IllegalArgumentException("dirtyTtl must be positive: " + dirtyTtl);
        }
        this.dirtyTtl = dirtyTtl;
    }

    /** @return the stored hash itself (not a copy), null when absent */
    Map<String, String> get(EntryRef key) {
        return entries.get(key);
    }

    /** @return a copy of the stored hash, null when absent */
    Map<String, String> copy(EntryRef key) {
        Map<String, String> hash = entries.get(key);
        return hash == null ? null : Map.copyOf(hash);
    }

    /** Stores a hash as is, ignoring dirty markers (a raw write or usage applied to an existing entry). */
    void put(EntryRef key, Map<String, String> hash) {
        entries.put(key, hash);
    }

    void remove(EntryRef key) {
        entries.remove(key);
    }

    /** A refill: writes only when no valid entry is cached and the entry is not dirty; a lapsed marker goes. */
    boolean refill(EntryRef key, Map<String, String> hash) {
        Instant until = dirtyUntil.get(key);
        if (until != null) {
            if (clock.instant().isBefore(until)) {
                return false;
            }
            dirtyUntil.remove(key);
        }
        Map<String, String> current = entries.get(key);
        if (current != null && valid(key, current)) {
            return false;
        }
        entries.put(key, hash);
        return true;
    }

    /** An eviction: the entry goes and stays dirty for a while. */
    void evict(EntryRef key) {
        entries.remove(key);
        markDirty(key);
    }

    /** Refuses refills of the entry until the dirty time has passed by the clock. */
    void markDirty(EntryRef key) {
        dirtyUntil.put(key, clock.instant().plus(dirtyTtl));
    }

    /** @return true while the entry's dirty marker lasts */
    boolean isDirty(EntryRef key) {
        Instant until = dirtyUntil.get(key);
        return until != null && clock.instant().isBefore(until);
    }

    /** Drops every entry and dirty marker. */
    void clear() {
        entries.clear();
        dirtyUntil.clear();
    }

    /**
     * Decodes the entries a check needs; the ones absent, foreign or corrupt are misses. Counts no RPM.
     *
     * @return the view, with {@code rpmCounted} false
     */
    CheckView read(CacheCheck check) {
        CheckView.Builder found = CheckView.builder();
        for (CacheEntryKind kind : check.neededEntries()) {
            found.read(kind, check.request(), entries.get(EntryRef.of(kind, check.request())));
        }
        return found.build(false, 0, 0);
    }

    /** @return the hash under {@code key} changed by {@code change}, empty when absent or not decodable */
    Optional<Map<String, String>> changed(EntryRef key, Function<Map<String, String>, Optional<Map<String, String>>> change) {
        Map<String, String> hash = entries.get(key);
        return hash == null ? Optional.empty() : change.apply(hash);
    }

    private static boolean valid(EntryRef key, Map<String, String> hash) {
        return key.decode(hash).isPresent();
    }
}
