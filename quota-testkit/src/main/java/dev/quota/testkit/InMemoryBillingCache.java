package dev.quota.testkit;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.Pingable;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory {@link BillingCache} that behaves like the Redis adapter: every entry is kept in its encoded
 * hash form (the {@code dev.quota.core.cache} codecs), so entries of a foreign schema version or with
 * corrupt fields are misses exactly as in Redis; each operation is one atomic step under a single lock,
 * as one Lua script would be.
 *
 * <ul>
 *   <li>{@link #check} returns the needed entries that decode, lists the others as misses, and increments
 *       the planned RPM counters (user × group, then user) only when nothing is missing and
 *       {@link EligibilityEvaluator#evaluateBilling} allows;</li>
 *   <li>{@link #applyUsage} is idempotent by {@link UsageKey} (user × request id), appends newly applied usage
 *       to {@link #outbox()} in the same step, changes only entries that exist and decode, and
 *       resets expired windows; it never creates an entry, but marks an absent or invalid target dirty;</li>
 *   <li>the {@code put*} refills write only when no valid entry is cached and the entry is not dirty;
 *       evictions mark the entry dirty; markers last {@link #DEFAULT_DIRTY_TTL} (or the configured time)
 *       by the cache's clock;</li>
 *   <li>{@link #reserve} keeps holds per user, ignores and purges holds expired at {@code check.now()}, sums
 *       the other live holds per scope into {@link Holds} and admits with
 *       {@link EligibilityEvaluator#evaluateHold}; {@link #settle} applies usage and drops the hold;
 *       {@link #release} drops it; {@link #renew} extends a hold still recorded.</li>
 * </ul>
 *
 * <p>For tests: {@link #putRaw} / {@link #rawEntry} write and read the raw hash of an entry (to plant a
 * foreign schema version or a corrupt field); {@link #rpmCounter()} exposes the RPM counters;
 * {@link #holds(long)} and {@link #hasApplied(UsageKey)} expose holds and applied request ids; failures are
 * injected through {@link #faults()} (checked before any state changes).
 *
 * <p>Raw entry qualifiers: {@code null} for {@link CacheEntryKind#BALANCE}, the group id in decimal for
 * {@link CacheEntryKind#SUBSCRIPTION}, the platform name for {@link CacheEntryKind#PLATFORM_QUOTA}, the API
 * key id in decimal for {@link CacheEntryKind#KEY_USAGE}, {@code <api key id>:<model>} for
 * {@link CacheEntryKind#KEY_MODEL_USAGE}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBillingCache implements BillingCache, Pingable {

    /** Guards the parts below: each operation is one atomic step, as one Lua script would be. */
    private final Object lock = new Object();
    private final CacheEntryStore entries;
    private final CacheHolds holds = new CacheHolds();
    private final CacheUsageApplier applier;
    private final CacheAdmission admission;
    private final InMemoryRpmCounter rpm;
    private final Faults faults;
    private final InMemoryUsageOutbox outbox;
    private final Duration dirtyTtl;

    /** Creates an empty cache with its own {@link Faults} and RPM counters. */
    public InMemoryBillingCache() {
        this(new Faults());
    }

    /**
     * Creates an empty cache with its own RPM counters.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryBillingCache(Faults faults) {
        this(faults, new InMemoryRpmCounter(faults));
    }

    /**
     * Creates an empty cache that counts RPM into {@code rpmCounter}, so that checks through the cache and
     * direct {@link InMemoryRpmCounter#increment} calls share counters (as Redis keys would).
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     * @param rpmCounter the RPM counters to count into
     */
    public InMemoryBillingCache(Faults faults, InMemoryRpmCounter rpmCounter) {
        this(faults, rpmCounter, Clock.systemUTC(), DEFAULT_DIRTY_TTL);
    }

    /**
     * Creates an empty cache whose dirty markers (see {@link BillingCache}) last {@code dirtyTtl} by
     * {@code clock}, so that a test can let them lapse with a {@link MutableClock}.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     * @param rpmCounter the RPM counters to count into
     * @param clock the clock of the dirty markers
     * @param dirtyTtl how long an entry stays dirty, positive
     */
    public InMemoryBillingCache(Faults faults, InMemoryRpmCounter rpmCounter, Clock clock, Duration dirtyTtl) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.rpm = Objects.requireNonNull(rpmCounter, "rpmCounter");
        this.outbox = new InMemoryUsageOutbox(faults);
        this.entries = new CacheEntryStore(clock, dirtyTtl);
        this.dirtyTtl = dirtyTtl;
        this.applier = new CacheUsageApplier(entries, outbox);
        this.admission = new CacheAdmission(entries, holds, rpm);
    }


    /** @return the fault injection this cache obeys */
    public Faults faults() {
        return faults;
    }

    /** @return the RPM counters this cache counts into */
    public InMemoryRpmCounter rpmCounter() {
        return rpm;
    }

    /**
     * The outbox this cache appends to: every {@link #applyUsage} or {@link #settle} that newly applies usage
     * (sets the idempotency marker of its {@link UsageKey}) appends the event, scored at the call's
     * {@code now}, in the same atomic step; a replay appends nothing. It obeys this cache's {@link Faults}.
     *
     * @return the outbox of this cache
     */
    public InMemoryUsageOutbox outbox() {
        return outbox;
    }

    // ---------------------------------------------------------------- check, usage, holds

    @Override
    public CheckView check(CacheCheck check) {
        Objects.requireNonNull(check, "check");
        faults.beforeCall("BillingCache.check");
        synchronized (lock) {
            return admission.check(check);
        }
    }

    @Override
    public boolean applyUsage(UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("BillingCache.applyUsage");
        synchronized (lock) {
            return applier.apply(event, now, zone);
        }
    }

    @Override
    public ReserveView reserve(CacheCheck check, Hold hold) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(hold, "hold");
        faults.beforeCall("BillingCache.reserve");
        synchronized (lock) {
            return admission.reserve(check, hold);
        }
    }

    @Override
    public boolean settle(String holdId, UsageEvent event, Instant now, ZoneId zone) {
        requireHoldId(holdId);
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("BillingCache.settle");
        synchronized (lock) {
            holds.purgeExpired(event.userId(), now);
            boolean applied = applier.apply(event, now, zone);
            holds.remove(event.userId(), holdId);
            return applied;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The port passes no {@code now}, so this fake reports true whenever the hold was still recorded; a
     * hold that expired but was not yet purged by a later {@link #reserve} or {@link #settle} of the same
     * user counts as dropped.
     */
    @Override
    public boolean release(long userId, String holdId) {
        requireHoldId(holdId);
        faults.beforeCall("BillingCache.release");
        synchronized (lock) {
            return holds.remove(userId, holdId);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>As for {@link #release}, the port passes no {@code now}: a hold counts as live until a later
     * {@link #reserve} or {@link #settle} of the same user purged it after it lapsed (the Redis adapter does the
     * same). Reviving a lapsed hold no reservation has purged yet admits nothing that was not admitted already:
     * only a reservation could have used its room, and a reservation purges it. A renewal to an earlier expiry
     * keeps the later one.
     */
    @Override
    public boolean renew(long userId, String holdId, Instant expiresAt) {
        requireHoldId(holdId);
        Objects.requireNonNull(expiresAt, "expiresAt");
        faults.beforeCall("BillingCache.renew");
        synchronized (lock) {
            return holds.renew(userId, holdId, expiresAt);
        }
    }

    // ---------------------------------------------------------------- refills and evictions

    @Override
    public boolean put(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry instanceof CacheEntry.PlatformQuota pq && pq.quota().platform().isBlank()) {
            throw new IllegalArgumentException("platform must not be blank");
        }
        return refill("BillingCache.put", entry.ref(), entry.encode());
    }

    @Override
    public void evict(EntryRef ref) {
        Objects.requireNonNull(ref, "ref");
        evict("BillingCache.evict", ref);
    }

    // ---------------------------------------------------------------- test helpers (no faults, no call counts)

    /**
     * Stores an entry's raw hash as is, e.g. with another schema version ({@code "sv"}) or an unparsable
     * field, to test that it is treated as a miss. Ignores injected faults.
     *
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier {@code null} for a balance; the group id, platform or API key id otherwise (see the
     *                  class documentation)
     * @param fields the hash fields (copied); an empty map removes the entry, as an empty Redis hash would
     */
    public void putRaw(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        EntryRef key = CacheEntryStore.rawRef(kind, userId, qualifier);
        synchronized (lock) {
            if (fields.isEmpty()) {
                entries.remove(key);
            } else {
                entries.put(key, new LinkedHashMap<>(fields));
            }
        }
    }

    /**
     * Reads an entry's raw hash. Ignores injected faults.
     *
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier as for {@link #putRaw}
     * @return a copy of the hash fields, empty when there is no entry
     */
    public Optional<Map<String, String>> rawEntry(CacheEntryKind kind, long userId, String qualifier) {
        EntryRef key = CacheEntryStore.rawRef(kind, userId, qualifier);
        return Optional.ofNullable(raw(key));
    }

    /**
     * @param userId the user
     * @return the cached balance, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<Money> cachedBalance(long userId) {
        return BalanceEntry.decode(raw(EntryRef.balance(userId)));
    }

    /**
     * @param userId the user
     * @param groupId the group
     * @return the cached subscription, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<SubscriptionState> cachedSubscription(long userId, long groupId) {
        return SubscriptionEntry.decode(userId, groupId, raw(EntryRef.subscription(userId, groupId)));
    }

    /**
     * @param userId the user
     * @param platform the platform
     * @return the cached platform quota entry, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<PlatformQuotaRecord> cachedPlatformQuota(long userId, String platform) {
        return PlatformQuotaEntry.decode(userId, platform, raw(EntryRef.platformQuota(userId, platform)));
    }

    /**
     * @param userId the owner
     * @param apiKeyId the key
     * @return the cached key usage, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<KeyUsage> cachedKeyUsage(long userId, long apiKeyId) {
        return KeyUsageEntry.decode(userId, apiKeyId, raw(EntryRef.keyUsage(userId, apiKeyId)));
    }

    /**
     * @param userId the owner
     * @param apiKeyId the key
     * @param model the model
     * @return the cached key usage on the model, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<KeyModelUsage> cachedKeyModelUsage(long userId, long apiKeyId, String model) {
        return KeyModelUsageEntry.decode(userId, apiKeyId, model, raw(EntryRef.keyModelUsage(userId, apiKeyId, model)));
    }

    /**
     * @param userId the user
     * @return the user's recorded holds, including expired ones not purged yet (ignores injected faults)
     */
    public List<Hold> holds(long userId) {
        synchronized (lock) {
            return holds.holds(userId);
        }
    }

    /**
     * @param requestId a request id
     * @return true when usage with this request id was applied for any user (ignores injected faults)
     */
    public boolean hasApplied(String requestId) {
        synchronized (lock) {
            return applier.hasApplied(requestId);
        }
    }

    /**
     * @param key a user × request id
     * @return true when usage with this key was applied (ignores injected faults)
     */
    public boolean hasApplied(UsageKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return applier.hasApplied(key);
        }
    }

    /**
     * Drops every entry, hold, applied request id and outbox entry, as an empty restart of Redis would
     * (ignores injected faults; RPM counters are kept).
     */
    public void clear() {
        synchronized (lock) {
            entries.clear();
            holds.clear();
            applier.clear();
            outbox.clear();
        }
    }

    // ---------------------------------------------------------------- internals

    /** A refill through the port: obeys the faults of {@code operation}, then writes unless valid or dirty. */
    private boolean refill(String operation, EntryRef key, Map<String, String> hash) {
        faults.beforeCall(operation);
        synchronized (lock) {
            return entries.refill(key, hash);
        }
    }

    /** An eviction through the port: the entry goes and stays dirty for a while. */
    private void evict(String operation, EntryRef key) {
        faults.beforeCall(operation);
        synchronized (lock) {
            entries.evict(key);
        }
    }

    /**
     * Whether an entry is dirty now (refills of it are refused).
     *
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier as for {@link #putRaw}
     * @return true while the entry's dirty marker lasts
     */
    public boolean isDirty(CacheEntryKind kind, long userId, String qualifier) {
        EntryRef key = CacheEntryStore.rawRef(kind, userId, qualifier);
        synchronized (lock) {
            return entries.isDirty(key);
        }
    }

    private Map<String, String> raw(EntryRef key) {
        synchronized (lock) {
            return entries.copy(key);
        }
    }

    private static void requireHoldId(String holdId) {
        if (holdId == null || holdId.isBlank()) {
            throw new IllegalArgumentException("holdId must not be blank");
        }
    }

    /**
     * Fails while this fake's {@link Faults#down() faults say the backend is down}; counts no call and consumes no
     * pending failure.
     *
     * @throws dev.quota.core.BackendUnavailableException while down
     */
    @Override
    public void ping() {
        if (faults.down()) {
            throw new dev.quota.core.BackendUnavailableException("BillingCache is down (injected)");
        }
    }

    /** @return how long an entry stays dirty, as configured */
    @Override
    public Duration dirtyTtl() {
        return dirtyTtl;
    }
}
