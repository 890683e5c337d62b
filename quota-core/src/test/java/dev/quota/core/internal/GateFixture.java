package dev.quota.core.internal;

import dev.quota.core.BalanceChange;
import dev.quota.core.BillingGate;
import dev.quota.core.GateConfig;
import dev.quota.core.TestGateConfigs;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Hand-written ports for the unit tests of the gate's parts (quota-core cannot use the testkit): a scripted
 * cache that answers what the test sets and records what it was asked, map-backed balance and subscription
 * stores, and a sink that keeps every hand-over for the test to settle.
 */
final class GateFixture {

    static final Instant NOW = Instant.parse("2026-11-18T02:00:00Z");

    final StepClock clock = new StepClock();
    final ScriptedCache cache = new ScriptedCache();
    final MapBalances balances = new MapBalances();
    final MapSubscriptions subscriptions = new MapSubscriptions();
    final RecordingSink sink = new RecordingSink();

    /**
     * @param extra further builder settings
     * @return a configuration with this fixture's ports and clock
     */
    GateConfig config(UnaryOperator<BillingGate.Builder> extra) {
        return TestGateConfigs.of(extra.apply(BillingGate.builder().cache(cache).balances(balances)
                .subscriptions(subscriptions).usageSink(sink).clock(clock)));
    }

    /** @return a configuration with this fixture's ports and clock and the builder's defaults */
    GateConfig config() {
        return config(b -> b);
    }

    /** The parts of a gate, wired as {@link DefaultBillingGate} wires them; {@link #close()} stops their threads. */
    static final class Parts implements AutoCloseable {
        final GateConfig config;
        final EligibilityEvaluator evaluator;
        final UnsettledUsage unsettled;
        final LocalHolds localHolds = new LocalHolds();
        final CacheWritePool pool;
        final BillingBreaker breaker;
        final ExecutorService loaders = Executors.newCachedThreadPool(Threads.daemon("test-load"));
        final SingleFlight<String> singleFlight;
        final CacheCoherence coherence;
        final StateLoader loader;
        final RpmOverrides overrides;
        final RpmStep rpm;
        final Recorder recorder;

        Parts(GateConfig config) {
            this.config = config;
            this.evaluator = EligibilityEvaluator.inZone(config.zone());
            this.unsettled = new UnsettledUsage(config.clock());
            this.pool = new CacheWritePool(1, 100, config.cacheWriteTimeout(), config.dropLogInterval(), config.clock(),
                    config.listener());
            this.breaker = new BillingBreaker(config.breakerFailureThreshold(), config.breakerResetTimeout(),
                    config.breakerHalfOpenRequests(), config.clock(), config.listener());
            this.singleFlight = new SingleFlight<>(loaders, config.loadTimeout());
            this.coherence = new CacheCoherence(config.cache(), Duration.ofSeconds(1), config.clock(),
                config.dropLogInterval());
            PlatformDefaults defaults = new PlatformDefaults(config.platformQuotas(), config.platformQuotaDefaults(),
                    config.platformDefaultsRefresh(), config.loadTimeout(), config.clock(), loaders);
            this.loader = new StateLoader(config, new StoreReads(config, singleFlight, unsettled, defaults), unsettled,
                    localHolds, pool);
            this.overrides = new RpmOverrides(config.rpmOverrides(), singleFlight);
            this.rpm = new RpmStep(config, evaluator);
            this.recorder = new Recorder(config, pool, coherence, unsettled, null);
        }

        CheckFlow checks() {
            return new CheckFlow(config, checkParts());
        }

        Reserver reserver() {
            return new Reserver(config, checkParts(), unsettled, localHolds, recorder);
        }

        private CheckParts checkParts() {
            return new CheckParts(evaluator, breaker, overrides, loader, rpm);
        }

        @Override
        public void close() {
            pool.close();
            coherence.close();
            loaders.shutdownNow();
        }
    }

    static UsageEvent usage(String requestId, long userId, String cost) {
        return UsageEvent.builder(requestId, userId).totalCost(Money.parse(cost)).actualCost(Money.parse(cost)).occurredAt(NOW).build();
    }

    /** A cache that answers what the test scripted and records the calls it got. */
    static final class ScriptedCache implements BillingCache {
        volatile boolean down;
        volatile CheckView view;
        volatile ReserveView reserveView;
        volatile boolean newlyApplied = true;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<Long, Money> balances = new ConcurrentHashMap<>();

        private void call(String what) {
            calls.add(what);
            if (down) {
                throw new BackendUnavailableException("cache down: " + what);
            }
        }

        @Override
        public CheckView check(CacheCheck check) {
            call("check");
            return view;
        }

        @Override
        public boolean applyUsage(UsageEvent event, Instant now, ZoneId zone) {
            call("applyUsage " + event.requestId());
            return newlyApplied;
        }

        @Override
        public ReserveView reserve(CacheCheck check, Hold hold) {
            call("reserve");
            return reserveView;
        }

        @Override
        public boolean settle(String holdId, UsageEvent event, Instant now, ZoneId zone) {
            call("settle " + holdId);
            return newlyApplied;
        }

        @Override
        public boolean release(long userId, String holdId) {
            call("release " + holdId);
            return true;
        }

        @Override
        public boolean renew(long userId, String holdId, Instant expiresAt) {
            call("renew " + holdId);
            return true;
        }

        @Override
        public boolean put(CacheEntry entry) {
            if (entry instanceof CacheEntry.Balance b) {
                call("putBalance " + b.userId());
                balances.put(b.userId(), b.balance());
            } else if (entry instanceof CacheEntry.Subscription sub) {
                call("putSubscription " + sub.state().userId());
            } else if (entry instanceof CacheEntry.PlatformQuota pq) {
                call("putPlatformQuota " + pq.quota().userId());
            } else if (entry instanceof CacheEntry.ApiKeyUsage k) {
                call("putKeyUsage " + k.usage().apiKeyId());
            }
            return true;
        }

        @Override
        public void evict(EntryRef ref) {
            if (ref instanceof EntryRef.BalanceRef b) {
                call("evictBalance " + b.userId());
            } else if (ref instanceof EntryRef.SubscriptionRef sub) {
                call("evictSubscription " + sub.userId());
            } else if (ref instanceof EntryRef.PlatformQuotaRef pq) {
                call("evictPlatformQuota " + pq.userId());
            } else if (ref instanceof EntryRef.KeyUsageRef k) {
                call("evictKeyUsage " + k.apiKeyId());
            }
        }
    }

    /** Balances in a map; {@link #failWith} makes every call throw it. */
    static final class MapBalances implements BalanceStore {
        final Map<Long, Money> rows = new ConcurrentHashMap<>();
        volatile RuntimeException failWith;
        final AtomicInteger finds = new AtomicInteger();

        private void up() {
            RuntimeException e = failWith;
            if (e != null) {
                throw e;
            }
        }

        @Override
        public Optional<Money> find(long userId) {
            finds.incrementAndGet();
            up();
            return Optional.ofNullable(rows.get(userId));
        }

        @Override
        public void set(long userId, Money balance) {
            up();
            rows.put(userId, balance);
        }

        @Override
        public Money credit(long userId, Money amount) {
            up();
            return rows.merge(userId, amount, Money::plus);
        }

        @Override
        public Optional<Money> deduct(long userId, Money amount) {
            up();
            return Optional.of(rows.merge(userId, amount.negate(), Money::plus));
        }

        @Override
        public Optional<Money> deductIfAtLeast(long userId, Money amount, Money floor) {
            up();
            Money now = rows.getOrDefault(userId, Money.ZERO);
            if (now.minus(amount).compareTo(floor) < 0) {
                return Optional.empty();
            }
            return deduct(userId, amount);
        }

        @Override
        public BalanceChange adjust(long userId, Money delta, String operationId) {
            throw new UnsupportedOperationException("the gate's parts never adjust balances");
        }
    }

    /** Subscriptions in a map. */
    static final class MapSubscriptions implements SubscriptionStore {
        final Map<String, SubscriptionState> rows = new ConcurrentHashMap<>();

        @Override
        public Optional<SubscriptionState> find(long userId, long groupId) {
            return Optional.ofNullable(rows.get(userId + ":" + groupId));
        }

        @Override
        public void save(SubscriptionState state) {
            rows.put(state.userId() + ":" + state.groupId(), state);
        }

        @Override
        public Optional<SubscriptionState> addUsage(long userId, long groupId, Money cost, Instant now) {
            return find(userId, groupId).map(s -> s.addUsage(cost.nanos(), now));
        }
    }

    /** A sink that keeps every hand-over; the test settles them. */
    static final class RecordingSink implements UsageSink {
        /** One hand-over. */
        record Handed(UsageEvent event, Progress progress, boolean synchronous) {
        }

        final List<Handed> handed = new CopyOnWriteArrayList<>();
        volatile boolean full;
        volatile Outcome storeOutcome = Outcome.STORED;

        @Override
        public Slot reserve() {
            if (full) {
                throw new BackendUnavailableException("sink full");
            }
            return new Slot() {
                @Override
                public void submit(UsageEvent event, Progress progress) {
                    handed.add(new Handed(event, progress, false));
                }

                @Override
                public Outcome store(UsageEvent event, Progress progress) {
                    handed.add(new Handed(event, progress, true));
                    progress.committing();
                    progress.settled(storeOutcome);
                    return storeOutcome;
                }

                @Override
                public void cancel() {
                }
            };
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
