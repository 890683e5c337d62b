package dev.quota.testkit;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
     * An entry's identity: its kind, owner and qualifier ({@code ""} for a balance, the group or key id in decimal,
     * or the platform name).
     */
    record Key(CacheEntryKind kind, long userId, String qualifier) {

        static Key balance(long userId) {
            return new Key(CacheEntryKind.BALANCE, userId, "");
        }

        static Key subscription(long userId, long groupId) {
            return new Key(CacheEntryKind.SUBSCRIPTION, userId, Long.toString(groupId));
        }

        static Key platform(long userId, String platform) {
            return new Key(CacheEntryKind.PLATFORM_QUOTA, userId, platform);
        }

        static Key keyUsage(long userId, long apiKeyId) {
            return new Key(CacheEntryKind.KEY_USAGE, userId, Long.toString(apiKeyId));
        }

        /** A key × model entry: the qualifier is {@code <api key id>:<model>}. */
        static Key keyModelUsage(long userId, long apiKeyId, String model) {
            return new Key(CacheEntryKind.KEY_MODEL_USAGE, userId, apiKeyId + ":" + Objects.requireNonNull(model));
        }

        /** @return the API key id of a key × model entry's qualifier */
        long modelKeyId() {
            return Long.parseLong(qualifier.substring(0, qualifier.indexOf(':')));
        }

        /** @return the model of a key × model entry's qualifier */
        String model() {
            return qualifier.substring(qualifier.indexOf(':') + 1);
        }

        /** The key of a raw qualifier as the cache's test helpers take it, validated. */
        static Key raw(CacheEntryKind kind, long userId, String qualifier) {
            Objects.requireNonNull(kind, "kind");
            if (kind == CacheEntryKind.BALANCE) {
                return balance(userId);
            }
            if (qualifier == null || qualifier.isBlank()) {
                throw new IllegalArgumentException(kind + " entries need a qualifier (group id, platform or API key id)");
            }
            if (kind == CacheEntryKind.KEY_MODEL_USAGE) {
                int colon = qualifier.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(kind + " qualifier must be <api key id>:<model>: " + qualifier);
                }
                return keyModelUsage(userId, Long.parseLong(qualifier.substring(0, colon)),
                        qualifier.substring(colon + 1));
            }
            if (kind != CacheEntryKind.PLATFORM_QUOTA) {
                try {
                    return new Key(kind, userId, Long.toString(Long.parseLong(qualifier)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(kind + " qualifier must be a decimal id: " + qualifier, e);
                }
            }
            return new Key(kind, userId, qualifier);
        }
    }

    private final Map<Key, Map<String, String>> entries = new HashMap<>();
    private final Map<Key, Instant> dirtyUntil = new HashMap<>();
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
    Map<String, String> get(Key key) {
        return entries.get(key);
    }

    /** @return a copy of the stored hash, null when absent */
    Map<String, String> copy(Key key) {
        Map<String, String> hash = entries.get(key);
        return hash == null ? null : Map.copyOf(hash);
    }

    /** Stores a hash as is, ignoring dirty markers (a raw write or usage applied to an existing entry). */
    void put(Key key, Map<String, String> hash) {
        entries.put(key, hash);
    }

    void remove(Key key) {
        entries.remove(key);
    }

    /** A refill: writes only when no valid entry is cached and the entry is not dirty; a lapsed marker goes. */
    boolean refill(Key key, Map<String, String> hash) {
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
    void evict(Key key) {
        entries.remove(key);
        markDirty(key);
    }

    /** Refuses refills of the entry until the dirty time has passed by the clock. */
    void markDirty(Key key) {
        dirtyUntil.put(key, clock.instant().plus(dirtyTtl));
    }

    /** @return true while the entry's dirty marker lasts */
    boolean isDirty(Key key) {
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
        CheckRequest request = check.request();
        long userId = request.userId();
        Set<CacheEntryKind> misses = EnumSet.noneOf(CacheEntryKind.class);
        Money balance = null;
        SubscriptionState subscription = null;
        PlatformQuotaRecord platformQuota = null;
        KeyUsage keyUsage = null;
        KeyModelUsage keyModelUsage = null;
        for (CacheEntryKind kind : check.neededEntries()) {
            boolean found;
            switch (kind) {
                case BALANCE -> {
                    balance = BalanceEntry.decode(entries.get(Key.balance(userId))).orElse(null);
                    found = balance != null;
                }
                case SUBSCRIPTION -> {
                    long groupId = request.groupId();
                    subscription = SubscriptionEntry.decode(userId, groupId,
                            entries.get(Key.subscription(userId, groupId))).orElse(null);
                    found = subscription != null;
                }
                case PLATFORM_QUOTA -> {
                    platformQuota = PlatformQuotaEntry.decode(userId, request.platform(),
                            entries.get(Key.platform(userId, request.platform()))).orElse(null);
                    found = platformQuota != null;
                }
                case KEY_USAGE -> {
                    long apiKeyId = request.apiKeyId();
                    keyUsage = KeyUsageEntry.decode(userId, apiKeyId,
                            entries.get(Key.keyUsage(userId, apiKeyId))).orElse(null);
                    found = keyUsage != null;
                }
                case KEY_MODEL_USAGE -> {
                    long apiKeyId = request.apiKeyId();
                    keyModelUsage = KeyModelUsageEntry.decode(userId, apiKeyId, request.model(),
                            entries.get(Key.keyModelUsage(userId, apiKeyId, request.model()))).orElse(null);
                    found = keyModelUsage != null;
                }
                default -> throw new IllegalStateException("unknown entry kind " + kind);
            }
            if (!found) {
                misses.add(kind);
            }
        }
        return new CheckView(balance, subscription, platformQuota, keyUsage, misses, false, 0, 0, keyModelUsage);
    }

    /** @return the hash under {@code key} changed by {@code change}, empty when absent or not decodable */
    Optional<Map<String, String>> changed(Key key, Function<Map<String, String>, Optional<Map<String, String>>> change) {
        Map<String, String> hash = entries.get(key);
        return hash == null ? Optional.empty() : change.apply(hash);
    }

    private static boolean valid(Key key, Map<String, String> hash) {
        return switch (key.kind()) {
            case BALANCE -> BalanceEntry.decode(hash).isPresent();
            case SUBSCRIPTION -> SubscriptionEntry.decode(key.userId(), Long.parseLong(key.qualifier()), hash).isPresent();
            case PLATFORM_QUOTA -> PlatformQuotaEntry.decode(key.userId(), key.qualifier(), hash).isPresent();
            case KEY_USAGE -> KeyUsageEntry.decode(key.userId(), Long.parseLong(key.qualifier()), hash).isPresent();
            case KEY_MODEL_USAGE -> KeyModelUsageEntry.decode(key.userId(), key.modelKeyId(), key.model(), hash)
                    .isPresent();
        };
    }
}
