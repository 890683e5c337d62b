package dev.quota.core.internal;

import dev.quota.core.CheckKind;
import dev.quota.core.GateConfig;
import dev.quota.core.FailurePolicy;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.InvalidDataException;
import dev.quota.core.limit.BillingState;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's reads of the stores for the entries a cache view lacks: raw reads shared through the single
 * flight (each with the {@link UnsettledUsage.Mark} taken as it began), the failure policies and breaker
 * outcomes of those reads, and the state they give once the caller adds the unsettled usage it sees
 * ({@link Gathered#state}). Deciding when a read is exact, re-reading and refilling stay with the gate.
 * Thread-safe.
 */
final class StoreReads {

    private static final Logger LOG = LoggerFactory.getLogger(StoreReads.class);
    /** A balance that never denies: stands in for an unreadable balance under {@link FailurePolicy#FAIL_OPEN}. */
    private static final Money OPEN_BALANCE = Money.MAX;

    /** Told whether a balance or subscription read succeeded (the breaker's permit). */
    interface Permit {
        /** The read succeeded. */
        void success();

        /** The read failed for an infrastructure reason. */
        void failure();
    }

    /** Writes one refill when the gate allows it. */
    interface Refiller {
        /**
         * @param what for the logs
         * @param userId the user
         * @param put the cache write
         */
        void refill(String what, long userId, BooleanSupplier put);
    }

    private final GateConfig s;
    private final SingleFlight<String> singleFlight;
    private final UnsettledUsage unsettled;
    private final PlatformDefaults defaults;

    /**
     * @param settings the gate's settings
     * @param singleFlight collapses concurrent reads of one entry
     * @param unsettled the gate's unsettled usage
     * @param defaults the platform quota defaults
     */
    StoreReads(GateConfig settings, SingleFlight<String> singleFlight, UnsettledUsage unsettled,
               PlatformDefaults defaults) {
        this.s = settings;
        this.singleFlight = singleFlight;
        this.unsettled = unsettled;
        this.defaults = defaults;
    }

    private Instant now() {
        return s.time().now();
    }

    /**
     * Entries the cache view holds and raw store reads of the entries it lacks (or fail-open stand-ins), before
     * the user's unsettled usage is added.
     */
    final class Gathered {
        private final CheckRequest request;
        private Money balance;
        private SubscriptionState sub;
        private PlatformQuotaRecord platform;
        private KeyUsage key;
        private KeyModelUsage model;
        private StoreRead<Money> balanceRead;
        private StoreRead<Optional<SubscriptionState>> subRead;
        private StoreRead<PlatformQuotaRecord> platformRead;
        private StoreRead<KeyUsage> keyRead;
        private StoreRead<KeyModelUsage> modelRead;
        private Decision failure;
        /** The platform quota defaults as the platform read returned (taken then: no load inside a caller's lock). */
        private PlatformQuotaDefaults platformDefaults;

        /** @return the decision of a read that failed under {@link FailurePolicy#FAIL_CLOSED}, else null */
        Decision failure() {
            return failure;
        }

        Gathered(CheckRequest request) {
            this.request = request;
        }

        /** @return true when every store read is exact with respect to {@code v} */
        boolean exact(UnsettledUsage.View v) {
            return exact(balanceRead, v) && exact(subRead, v) && exact(platformRead, v) && exact(keyRead, v)
                    && exact(modelRead, v);
        }

        private static boolean exact(StoreRead<?> read, UnsettledUsage.View v) {
            return read == null || UnsettledUsage.exact(read.mark(), v);
        }

        /** @return the state, with {@code unstored} added to what the stores returned (as the store will: now) */
        BillingState state(List<UsageEvent> unstored) {
            Money bal = balanceRead == null ? balance : balanceRead.value()
                    .minus(Money.ofNanos(charged(unstored, StoreReads::balanceMode)));
            SubscriptionState subscription = subRead == null ? sub : subRead.value().map(stored -> {
                long groupId = request.groupId();
                long cost = charged(unstored, e -> subscriptionMode(e) && e.groupId() != null && e.groupId() == groupId);
                return cost == 0 ? stored : stored.addUsage(cost, now());
            }).orElse(null);
            PlatformQuotaRecord pq = platform;
            if (platformRead != null) {
                String name = request.platform();
                long cost = charged(unstored, e -> balanceMode(e) && name.equals(e.platform()));
                PlatformQuotaRecord stored = platformRead.value();
                pq = withEffectiveLimits(cost == 0 ? stored : stored.addUsage(cost, now(), s.zone()));
            }
            KeyUsage k = key;
            if (keyRead != null) {
                long keyId = request.apiKeyId();
                Predicate<UsageEvent> ofKey = e -> countsInKeyWindows(e) && e.apiKeyId() != null && e.apiKeyId() == keyId;
                long cost = charged(unstored, ofKey);
                long tokens = tokens(unstored, ofKey);
                k = cost == 0 && tokens == 0 ? keyRead.value() : keyRead.value().addUsage(cost, tokens, now());
            }
            KeyModelUsage m = model;
            if (modelRead != null) {
                long keyId = request.apiKeyId();
                String name = request.model();
                long cost = charged(unstored, e -> countsInKeyWindows(e) && e.apiKeyId() != null
                        && e.apiKeyId() == keyId && name.equals(e.model()));
                m = cost == 0 ? modelRead.value() : modelRead.value().addUsage(cost, now());
            }
            return new BillingState(bal, subscription, pq, pq == null ? null : pq.limits(), k, m);
        }

        /** Refills the cache with the raw reads (exact, and the user had no unsettled usage). */
        void refill(Refiller refiller) {
            long userId = request.userId();
            if (balanceRead != null) {
                Money value = balanceRead.value();
                refiller.refill("refill balance of user " + userId, userId,
                        () -> s.cache().put(CacheEntry.of(userId, value)));
            }
            if (subRead != null && subRead.value().isPresent()) {
                SubscriptionState value = subRead.value().get();
                refiller.refill("refill subscription of user " + userId, userId,
                        () -> s.cache().put(CacheEntry.of(value)));
            }
            if (platformRead != null) {
                PlatformQuotaRecord value = withEffectiveLimits(platformRead.value());
                refiller.refill("refill platform quota of user " + userId, userId,
                        () -> s.cache().put(CacheEntry.of(value)));
            }
            if (keyRead != null) {
                KeyUsage value = keyRead.value();
                refiller.refill("refill api key " + value.apiKeyId(), userId,
                        () -> s.cache().put(CacheEntry.of(value)));
            }
            if (modelRead != null) {
                KeyModelUsage value = modelRead.value();
                refiller.refill("refill api key " + value.apiKeyId() + " on its model", userId,
                        () -> s.cache().put(CacheEntry.of(value)));
            }
        }

        private PlatformQuotaRecord withEffectiveLimits(PlatformQuotaRecord stored) {
            return stored.withLimits(stored.limits() != null ? stored.limits()
                    : platformDefaults.resolve(request.authSource(), request.platform()));
        }
    }

    /**
     * Takes the entries the view has and reads the others from the stores, applying the failure policies.
     * {@code notify} tells the listener about hits and misses (on the first of several reads only).
     *
     * @param request the request
     * @param check the cache check (which entries are needed)
     * @param view what the cache answered, or null when it failed
     * @param call told about balance and subscription reads
     * @param notify true to tell the listener about hits and misses
     * @return the entries and reads, or the decision of a failed read under {@link FailurePolicy#FAIL_CLOSED}
     * @throws InvalidDataException when a store read found a row of the user it cannot decode
     */
    Gathered gather(CheckRequest request, CacheCheck check, CheckView view, Permit call, boolean notify) {
        Gathered g = new Gathered(request);
        List<CacheEntryKind> needed = check.plan().entries();
        for (int i = 0; i < needed.size(); i++) {
            // by index: no iterator per check
            CacheEntryKind kind = needed.get(i);
            boolean hit = view != null && !view.misses().contains(kind);
            CheckKind checkKind = checkKind(kind);
            if (notify && (hit || view != null)) {
                Listeners.cacheLookup(s.listener(), checkKind, hit);
            }
            try {
                switch (kind) {
                    case BALANCE -> {
                        if (hit) {
                            g.balance = view.balance();
                        } else {
                            g.balanceRead = readBalance(request.userId());
                        }
                        call.success();
                    }
                    case SUBSCRIPTION -> {
                        if (hit) {
                            g.sub = view.subscription();
                        } else {
                            g.subRead = readSubscription(request);
                        }
                        call.success();
                    }
                    case PLATFORM_QUOTA -> {
                        if (hit) {
                            g.platform = view.platformQuota();
                        } else {
                            g.platformRead = readPlatform(request);
                            g.platformDefaults = defaults.get();
                        }
                    }
                    case KEY_USAGE -> {
                        if (hit) {
                            g.key = view.keyUsage();
                        } else {
                            g.keyRead = readKeyUsage(request);
                        }
                    }
                    case KEY_MODEL_USAGE -> {
                        if (hit) {
                            g.model = view.keyModelUsage();
                        } else {
                            g.modelRead = readKeyModelUsage(request);
                        }
                    }
                    default -> throw new IllegalStateException(kind.name());
                }
            } catch (BackendUnavailableException e) {
                boolean billing = checkKind == CheckKind.BALANCE || checkKind == CheckKind.SUBSCRIPTION;
                if (billing) {
                    call.failure();
                    LOG.error("ALERT: billing {} load failed for user {}: {}", checkKind, request.userId(), e.toString());
                }
                Listeners.fallback(s.listener(), checkKind, e);
                if (s.policies().get(checkKind) == FailurePolicy.FAIL_CLOSED) {
                    g.failure = Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
                    return g;
                }
                // Fail open: stand-ins that never deny this check.
                switch (kind) {
                    case BALANCE -> g.balance = OPEN_BALANCE;
                    case SUBSCRIPTION -> g.sub = new SubscriptionState(request.userId(), request.groupId(),
                            SubscriptionStatus.ACTIVE, Instant.MAX, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
                    default -> {
                        // platform quota and key usage: unknown usage is skipped
                    }
                }
            }
        }
        return g;
    }

    private static CheckKind checkKind(CacheEntryKind kind) {
        return switch (kind) {
            case BALANCE -> CheckKind.BALANCE;
            case SUBSCRIPTION -> CheckKind.SUBSCRIPTION;
            case PLATFORM_QUOTA -> CheckKind.PLATFORM_QUOTA;
            case KEY_USAGE, KEY_MODEL_USAGE -> CheckKind.API_KEY;
        };
    }

    /**
     * A raw store read shared by every caller of one single flight, and the mark of the user's unsettled usage
     * taken as it began. Each caller adds the unsettled usage it sees once the read returned (so a caller that
     * joined a read already in flight still counts usage recorded before it began).
     */
    private record StoreRead<T>(T value, UnsettledUsage.Mark mark) {
    }

    private <T> StoreRead<T> read(long userId, String key, Supplier<T> loader) {
        return singleFlight.load(key, () -> {
            UnsettledUsage.Mark mark = unsettled.mark(userId);
            return new StoreRead<>(loader.get(), mark);
        });
    }

    /** @return the sum of the charged amounts of the events that pass {@code counts}, in nano-units */
    private static long charged(List<UsageEvent> events, Predicate<UsageEvent> counts) {
        long sum = 0;
        for (UsageEvent e : events) {
            if (counts.test(e)) {
                sum = Math.addExact(sum, e.costs().actual().nanos());
            }
        }
        return sum;
    }

    private static long tokens(List<UsageEvent> events, Predicate<UsageEvent> counts) {
        long sum = 0;
        for (UsageEvent e : events) {
            if (counts.test(e)) {
                sum = Math.addExact(sum, KeyUsage.countedTokens(e));
            }
        }
        return sum;
    }

    private static boolean balanceMode(UsageEvent e) {
        return e.billingMode() == BillingMode.BALANCE;
    }

    private static boolean subscriptionMode(UsageEvent e) {
        return e.billingMode() == BillingMode.SUBSCRIPTION;
    }

    /** Logged-only usage ({@link BillingMode#NONE}) moves no counter, API key windows included. */
    private static boolean countsInKeyWindows(UsageEvent e) {
        return e.billingMode() != BillingMode.NONE;
    }

    private StoreRead<Money> readBalance(long userId) {
        return read(userId, "bal:" + userId, () -> s.balances().find(userId).orElse(Money.ZERO));
    }

    private StoreRead<Optional<SubscriptionState>> readSubscription(CheckRequest request) {
        long userId = request.userId();
        long groupId = request.groupId();
        return read(userId, "sub:" + userId + ":" + groupId, () -> s.subscriptions().find(userId, groupId));
    }

    private StoreRead<PlatformQuotaRecord> readPlatform(CheckRequest request) {
        if (s.platformQuotas() == null) {
            return null;
        }
        long userId = request.userId();
        String platform = request.platform();
        return read(userId, "pq:" + userId + ":" + platform,
                () -> s.platformQuotas().find(userId, platform).orElse(PlatformQuotaRecord.empty(userId, platform)));
    }

    private StoreRead<KeyUsage> readKeyUsage(CheckRequest request) {
        if (s.windowCounters() == null) {
            return null;
        }
        long userId = request.userId();
        long keyId = request.apiKeyId();
        return read(userId, "key:" + keyId, () -> s.windowCounters().findKeyUsage(userId, keyId)
                .orElse(KeyUsage.empty(userId, keyId)));
    }

    private StoreRead<KeyModelUsage> readKeyModelUsage(CheckRequest request) {
        if (s.windowCounters() == null) {
            return null;
        }
        long userId = request.userId();
        long keyId = request.apiKeyId();
        String model = request.model();
        return read(userId, "model:" + keyId + ":" + model, () -> s.windowCounters()
                .findKeyModelUsage(userId, keyId, model).orElse(KeyModelUsage.empty(userId, keyId, model)));
    }
}
