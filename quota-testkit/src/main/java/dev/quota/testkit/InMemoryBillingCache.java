package dev.quota.testkit;

import dev.quota.core.spi.Pingable;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.decision.Decision;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.money.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
 * key id in decimal for {@link CacheEntryKind#KEY_USAGE}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBillingCache implements BillingCache, Pingable {

    private record EntryKey(CacheEntryKind kind, long userId, String qualifier) {
    }

    /**
     * A live hold and the scopes it counts against; {@code subscriptionScope} is false for a subscription-mode
     * hold of an unlimited subscription ({@link Holds#holdsSubscription}).
     */
    private record HoldRecord(Hold hold, boolean subscriptionMode, boolean subscriptionScope, Long groupId,
                              String platform, Long apiKeyId) {
    }

    private final Object lock = new Object();
    private final Map<EntryKey, Map<String, String>> entries = new HashMap<>();
    private final Set<UsageKey> appliedKeys = new HashSet<>();
    private final Map<Long, Map<String, HoldRecord>> holdsByUser = new HashMap<>();
    private final Map<EntryKey, Instant> dirtyUntil = new HashMap<>();
    private final InMemoryRpmCounter rpm;
    private final Faults faults;
    private final InMemoryUsageOutbox outbox;
    private final Clock clock;
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
        this.clock = Objects.requireNonNull(clock, "clock");
        if (dirtyTtl == null || dirtyTtl.isZero() || dirtyTtl.isNegative()) {
            throw new IllegalArgumentException("dirtyTtl must be positive: " + dirtyTtl);
        }
        this.dirtyTtl = dirtyTtl;
    }

    /** How long an entry stays dirty by default, as in the Redis adapter. */
    public static final Duration DEFAULT_DIRTY_TTL = Duration.ofSeconds(10);

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
            CheckView view = read(check);
            if (!view.complete()) {
                return view;
            }
            Decision billing = EligibilityEvaluator.inZone(check.zone())
                    .evaluateBilling(check.request(), view.toState(), check.now());
            if (billing.denied()) {
                return view;
            }
            return countRpm(check, view);
        }
    }

    @Override
    public boolean applyUsage(UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("BillingCache.applyUsage");
        synchronized (lock) {
            return applyLocked(event, now, zone);
        }
    }

    @Override
    public ReserveView reserve(CacheCheck check, Hold hold) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(hold, "hold");
        faults.beforeCall("BillingCache.reserve");
        synchronized (lock) {
            CheckRequest request = check.request();
            Map<String, HoldRecord> userHolds = liveHolds(request.userId(), check.now());
            CheckView view = read(check);
            Holds held = heldBy(userHolds, request, hold.holdId());
            if (userHolds.containsKey(hold.holdId())) {
                return new ReserveView(view, held, true);
            }
            if (!view.complete()) {
                return new ReserveView(view, held, false);
            }
            Decision decision = EligibilityEvaluator.inZone(check.zone())
                    .evaluateHold(request, view.toState(), held, hold.estimate().nanos(), check.now());
            if (decision.denied()) {
                return new ReserveView(view, held, false);
            }
            userHolds.put(hold.holdId(), new HoldRecord(hold, request.subscriptionMode(),
                    Holds.holdsSubscription(request), request.groupId(), request.platform(), request.apiKeyId()));
            holdsByUser.put(request.userId(), userHolds);
            return new ReserveView(countRpm(check, view), held, true);
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
            Map<String, HoldRecord> userHolds = liveHolds(event.userId(), now);
            boolean applied = applyLocked(event, now, zone);
            userHolds.remove(holdId);
            storeHolds(event.userId(), userHolds);
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
            Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
            if (userHolds == null) {
                return false;
            }
            boolean removed = userHolds.remove(holdId) != null;
            storeHolds(userId, userHolds);
            return removed;
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
            Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
            HoldRecord record = userHolds == null ? null : userHolds.get(holdId);
            if (record == null) {
                return false;
            }
            Hold hold = record.hold();
            if (expiresAt.isAfter(hold.expiresAt())) {
                userHolds.put(holdId, new HoldRecord(new Hold(holdId, hold.estimate(), expiresAt),
                        record.subscriptionMode(), record.subscriptionScope(), record.groupId(), record.platform(),
                        record.apiKeyId()));
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- refills and evictions

    @Override
    public boolean putBalance(long userId, Money balance) {
        Objects.requireNonNull(balance, "balance");
        Map<String, String> hash = BalanceEntry.encode(balance);
        faults.beforeCall("BillingCache.putBalance");
        return refill(new EntryKey(CacheEntryKind.BALANCE, userId, ""), hash);
    }

    @Override
    public boolean putSubscription(SubscriptionState state) {
        Objects.requireNonNull(state, "state");
        Map<String, String> hash = SubscriptionEntry.encode(state);
        faults.beforeCall("BillingCache.putSubscription");
        return refill(subscriptionKey(state.userId(), state.groupId()), hash);
    }

    @Override
    public boolean putPlatformQuota(PlatformQuotaRecord entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.platform().isBlank()) {
            throw new IllegalArgumentException("platform must not be blank");
        }
        Map<String, String> hash = PlatformQuotaEntry.encode(entry);
        faults.beforeCall("BillingCache.putPlatformQuota");
        return refill(platformKey(entry.userId(), entry.platform()), hash);
    }

    @Override
    public boolean putKeyUsage(KeyUsage usage) {
        Objects.requireNonNull(usage, "usage");
        Map<String, String> hash = KeyUsageEntry.encode(usage);
        faults.beforeCall("BillingCache.putKeyUsage");
        return refill(keyUsageKey(usage.userId(), usage.apiKeyId()), hash);
    }

    @Override
    public void evictBalance(long userId) {
        faults.beforeCall("BillingCache.evictBalance");
        evict(new EntryKey(CacheEntryKind.BALANCE, userId, ""));
    }

    @Override
    public void evictSubscription(long userId, long groupId) {
        faults.beforeCall("BillingCache.evictSubscription");
        evict(subscriptionKey(userId, groupId));
    }

    @Override
    public void evictPlatformQuota(long userId, String platform) {
        Objects.requireNonNull(platform, "platform");
        faults.beforeCall("BillingCache.evictPlatformQuota");
        evict(platformKey(userId, platform));
    }

    @Override
    public void evictKeyUsage(long userId, long apiKeyId) {
        faults.beforeCall("BillingCache.evictKeyUsage");
        evict(keyUsageKey(userId, apiKeyId));
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
        EntryKey key = rawKey(kind, userId, qualifier);
        if (fields.isEmpty()) {
            remove(key);
        } else {
            store(key, new LinkedHashMap<>(fields));
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
        EntryKey key = rawKey(kind, userId, qualifier);
        synchronized (lock) {
            Map<String, String> hash = entries.get(key);
            return hash == null ? Optional.empty() : Optional.of(Map.copyOf(hash));
        }
    }

    /**
     * @param userId the user
     * @return the cached balance, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<Money> cachedBalance(long userId) {
        return BalanceEntry.decode(raw(new EntryKey(CacheEntryKind.BALANCE, userId, "")));
    }

    /**
     * @param userId the user
     * @param groupId the group
     * @return the cached subscription, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<SubscriptionState> cachedSubscription(long userId, long groupId) {
        return SubscriptionEntry.decode(userId, groupId, raw(subscriptionKey(userId, groupId)));
    }

    /**
     * @param userId the user
     * @param platform the platform
     * @return the cached platform quota entry, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<PlatformQuotaRecord> cachedPlatformQuota(long userId, String platform) {
        return PlatformQuotaEntry.decode(userId, platform, raw(platformKey(userId, platform)));
    }

    /**
     * @param userId the owner
     * @param apiKeyId the key
     * @return the cached key usage, empty when absent, foreign or corrupt (ignores injected faults)
     */
    public Optional<KeyUsage> cachedKeyUsage(long userId, long apiKeyId) {
        return KeyUsageEntry.decode(userId, apiKeyId, raw(keyUsageKey(userId, apiKeyId)));
    }

    /**
     * @param userId the user
     * @return the user's recorded holds, including expired ones not purged yet (ignores injected faults)
     */
    public List<Hold> holds(long userId) {
        synchronized (lock) {
            Map<String, HoldRecord> userHolds = holdsByUser.get(userId);
            if (userHolds == null) {
                return List.of();
            }
            List<Hold> out = new ArrayList<>();
            userHolds.values().forEach(r -> out.add(r.hold()));
            return List.copyOf(out);
        }
    }

    /**
     * @param requestId a request id
     * @return true when usage with this request id was applied for any user (ignores injected faults)
     */
    public boolean hasApplied(String requestId) {
        synchronized (lock) {
            return appliedKeys.stream().anyMatch(k -> k.requestId().equals(requestId));
        }
    }

    /**
     * @param key a user × request id
     * @return true when usage with this key was applied (ignores injected faults)
     */
    public boolean hasApplied(UsageKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            return appliedKeys.contains(key);
        }
    }

    /**
     * Drops every entry, hold, applied request id and outbox entry, as an empty restart of Redis would
     * (ignores injected faults; RPM counters are kept).
     */
    public void clear() {
        synchronized (lock) {
            entries.clear();
            dirtyUntil.clear();
            holdsByUser.clear();
            appliedKeys.clear();
            outbox.clear();
        }
    }

    // ---------------------------------------------------------------- internals

    private CheckView read(CacheCheck check) {
        CheckRequest request = check.request();
        long userId = request.userId();
        Set<CacheEntryKind> misses = EnumSet.noneOf(CacheEntryKind.class);
        Money balance = null;
        SubscriptionState subscription = null;
        PlatformQuotaRecord platformQuota = null;
        KeyUsage keyUsage = null;
        for (CacheEntryKind kind : check.neededEntries()) {
            boolean found;
            switch (kind) {
                case BALANCE -> {
                    balance = BalanceEntry.decode(entries.get(new EntryKey(kind, userId, ""))).orElse(null);
                    found = balance != null;
                }
                case SUBSCRIPTION -> {
                    long groupId = request.groupId();
                    subscription = SubscriptionEntry.decode(userId, groupId,
                            entries.get(subscriptionKey(userId, groupId))).orElse(null);
                    found = subscription != null;
                }
                case PLATFORM_QUOTA -> {
                    platformQuota = PlatformQuotaEntry.decode(userId, request.platform(),
                            entries.get(platformKey(userId, request.platform()))).orElse(null);
                    found = platformQuota != null;
                }
                case KEY_USAGE -> {
                    long apiKeyId = request.apiKeyId();
                    keyUsage = KeyUsageEntry.decode(userId, apiKeyId,
                            entries.get(keyUsageKey(userId, apiKeyId))).orElse(null);
                    found = keyUsage != null;
                }
                default -> throw new IllegalStateException("unknown entry kind " + kind);
            }
            if (!found) {
                misses.add(kind);
            }
        }
        return new CheckView(balance, subscription, platformQuota, keyUsage, misses, false, 0, 0);
    }

    private CheckView countRpm(CacheCheck check, CheckView view) {
        CheckRequest request = check.request();
        RpmPlan plan = check.rpmPlan();
        Instant bucket = QuotaWindows.RPM.bucketStart(check.now());
        long group = 0;
        long user = 0;
        if (plan.groupLimit() != null && request.groupId() != null) {
            group = rpm.incrementWithoutFaults(request.userId(), request.groupId(), bucket);
        }
        if (plan.userLimit() != null) {
            user = rpm.incrementWithoutFaults(request.userId(), null, bucket);
        }
        return new CheckView(view.balance(), view.subscription(), view.platformQuota(), view.keyUsage(),
                view.misses(), true, group, user);
    }

    private boolean applyLocked(UsageEvent event, Instant now, ZoneId zone) {
        UsageKey usageKey = UsageKey.of(event);
        if (appliedKeys.contains(usageKey)) {
            return false;
        }
        long userId = event.userId();
        long cost = event.actualCost().nanos();
        // Compute every new hash first, so that an overflow leaves the cache unchanged.
        Map<EntryKey, Map<String, String>> updates = new HashMap<>();
        if (event.billingMode() == BillingMode.BALANCE) {
            update(updates, new EntryKey(CacheEntryKind.BALANCE, userId, ""),
                    h -> BalanceEntry.decode(h).map(b -> BalanceEntry.encode(b.minus(event.actualCost()))));
            if (event.platform() != null) {
                update(updates, platformKey(userId, event.platform()),
                        h -> PlatformQuotaEntry.decode(userId, event.platform(), h)
                                .map(r -> PlatformQuotaEntry.encode(r.addUsage(cost, now, zone))));
            }
        } else if (event.billingMode() == BillingMode.SUBSCRIPTION) {
            long groupId = event.groupId();
            update(updates, subscriptionKey(userId, groupId),
                    h -> SubscriptionEntry.decode(userId, groupId, h)
                            .map(s -> SubscriptionEntry.encode(s.addUsage(cost, now))));
        }
        // BillingMode.NONE (simple mode) moves no counter: only the marker and the outbox entry are written.
        if (event.billingMode() != BillingMode.NONE && event.apiKeyId() != null) {
            long apiKeyId = event.apiKeyId();
            update(updates, keyUsageKey(userId, apiKeyId),
                    h -> KeyUsageEntry.decode(userId, apiKeyId, h)
                            .map(k -> KeyUsageEntry.encode(k.addUsage(cost, now))));
        }
        entries.putAll(updates);
        appliedKeys.add(usageKey);
        outbox.append(event, now);
        return true;
    }

    private void update(Map<EntryKey, Map<String, String>> updates, EntryKey key,
                        Function<Map<String, String>, Optional<Map<String, String>>> change) {
        Map<String, String> hash = entries.get(key);
        Optional<Map<String, String>> changed = hash == null ? Optional.empty() : change.apply(hash);
        if (changed.isPresent()) {
            updates.put(key, changed.get());
        } else {
            // Usage met the entry absent or invalid: a refill loaded before it must not land.
            markDirty(key);
        }
    }

    /** The user's holds with expired ones purged; a mutable map to store back with {@link #storeHolds}. */
    private Map<String, HoldRecord> liveHolds(long userId, Instant now) {
        Map<String, HoldRecord> userHolds = holdsByUser.getOrDefault(userId, new LinkedHashMap<>());
        userHolds.values().removeIf(r -> !now.isBefore(r.hold().expiresAt()));
        storeHolds(userId, userHolds);
        return userHolds;
    }

    private void storeHolds(long userId, Map<String, HoldRecord> userHolds) {
        if (userHolds.isEmpty()) {
            holdsByUser.remove(userId);
        } else {
            holdsByUser.put(userId, userHolds);
        }
    }

    private static Holds heldBy(Map<String, HoldRecord> userHolds, CheckRequest request, String exceptHoldId) {
        long balance = 0;
        long subscription = 0;
        long platform = 0;
        long key = 0;
        for (HoldRecord r : userHolds.values()) {
            if (r.hold().holdId().equals(exceptHoldId)) {
                continue;
            }
            long amount = r.hold().estimate().nanos();
            if (r.subscriptionMode()) {
                if (r.subscriptionScope() && Objects.equals(r.groupId(), request.groupId())) {
                    subscription = Math.addExact(subscription, amount);
                }
            } else {
                balance = Math.addExact(balance, amount);
                if (r.platform() != null && r.platform().equals(request.platform())) {
                    platform = Math.addExact(platform, amount);
                }
            }
            if (r.apiKeyId() != null && r.apiKeyId().equals(request.apiKeyId())) {
                key = Math.addExact(key, amount);
            }
        }
        return new Holds(balance, subscription, platform, key);
    }

    private void store(EntryKey key, Map<String, String> hash) {
        synchronized (lock) {
            entries.put(key, hash);
        }
    }

    private void remove(EntryKey key) {
        synchronized (lock) {
            entries.remove(key);
        }
    }

    /** An eviction: the entry goes and stays dirty for a while. */
    private void evict(EntryKey key) {
        synchronized (lock) {
            entries.remove(key);
            markDirty(key);
        }
    }

    private boolean refill(EntryKey key, Map<String, String> hash) {
        synchronized (lock) {
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
    }

    private void markDirty(EntryKey key) {
        dirtyUntil.put(key, clock.instant().plus(dirtyTtl));
    }

    private static boolean valid(EntryKey key, Map<String, String> hash) {
        return switch (key.kind()) {
            case BALANCE -> BalanceEntry.decode(hash).isPresent();
            case SUBSCRIPTION -> SubscriptionEntry.decode(key.userId(), Long.parseLong(key.qualifier()), hash).isPresent();
            case PLATFORM_QUOTA -> PlatformQuotaEntry.decode(key.userId(), key.qualifier(), hash).isPresent();
            case KEY_USAGE -> KeyUsageEntry.decode(key.userId(), Long.parseLong(key.qualifier()), hash).isPresent();
        };
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
        EntryKey key = rawKey(kind, userId, qualifier);
        synchronized (lock) {
            Instant until = dirtyUntil.get(key);
            return until != null && clock.instant().isBefore(until);
        }
    }

    private Map<String, String> raw(EntryKey key) {
        synchronized (lock) {
            Map<String, String> hash = entries.get(key);
            return hash == null ? null : Map.copyOf(hash);
        }
    }

    private static EntryKey subscriptionKey(long userId, long groupId) {
        return new EntryKey(CacheEntryKind.SUBSCRIPTION, userId, Long.toString(groupId));
    }

    private static EntryKey platformKey(long userId, String platform) {
        return new EntryKey(CacheEntryKind.PLATFORM_QUOTA, userId, platform);
    }

    private static EntryKey keyUsageKey(long userId, long apiKeyId) {
        return new EntryKey(CacheEntryKind.KEY_USAGE, userId, Long.toString(apiKeyId));
    }

    private static EntryKey rawKey(CacheEntryKind kind, long userId, String qualifier) {
        Objects.requireNonNull(kind, "kind");
        if (kind == CacheEntryKind.BALANCE) {
            return new EntryKey(kind, userId, "");
        }
        if (qualifier == null || qualifier.isBlank()) {
            throw new IllegalArgumentException(kind + " entries need a qualifier (group id, platform or API key id)");
        }
        if (kind != CacheEntryKind.PLATFORM_QUOTA) {
            try {
                return new EntryKey(kind, userId, Long.toString(Long.parseLong(qualifier)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(kind + " qualifier must be a decimal id: " + qualifier, e);
            }
        }
        return new EntryKey(kind, userId, qualifier);
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
     * @throws dev.quota.core.decision.BackendUnavailableException while down
     */
    @Override
    public void ping() {
        if (faults.down()) {
            throw new dev.quota.core.decision.BackendUnavailableException("BillingCache is down (injected)");
        }
    }
}
