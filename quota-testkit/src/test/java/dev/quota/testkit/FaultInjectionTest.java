package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every in-memory port obeys its {@link Faults}, and an injected failure changes nothing. */
class FaultInjectionTest {

    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");
    private static final long USER = 42;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static UsageEvent event(String id) {
        return UsageEvent.builder(id, USER).totalCost(Money.parse("1")).occurredAt(NOW).build();
    }

    @Test
    void aFailedDeductionLeavesTheBalanceAlone() {
        InMemoryBalanceStore store = new InMemoryBalanceStore();
        store.set(USER, Money.parse("5"));
        store.faults().failNext(1);
        assertThatThrownBy(() -> store.deduct(USER, Money.parse("1"))).isInstanceOf(BackendUnavailableException.class);
        assertThat(store.find(USER)).contains(Money.parse("5"));
    }

    @Test
    void invalidArgumentsAreRejectedBeforeFaultsAreConsulted() {
        InMemoryBalanceStore store = new InMemoryBalanceStore();
        store.faults().failAlways();
        assertThatThrownBy(() -> store.credit(USER, Money.parse("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.faults().calls("BalanceStore.credit")).isZero();
    }

    @Test
    void aFailedCacheCheckCountsNoRpmAndAFailedApplyAppliesNothing() {
        InMemoryBillingCache cache = new InMemoryBillingCache();
        cache.put(CacheEntry.of(USER, Money.parse("5")));
        CheckRequest request = CheckRequest.builder(USER).userRpmLimit(Limit.of(10)).build();
        CacheCheck check = new CacheCheck(request, new RpmPlan(null, Limit.of(10)), NOW, ZoneOffset.UTC);
        cache.faults().failNext(2);
        assertThatThrownBy(() -> cache.check(check)).isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> cache.applyUsage(event("r1"), NOW, ZoneOffset.UTC))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(cache.hasApplied("r1")).isFalse();
        assertThat(cache.cachedBalance(USER)).contains(Money.parse("5"));
        CheckView view = cache.check(check);
        assertThat(view.userRpmCount()).isEqualTo(1);
        assertThat(cache.applyUsage(event("r1"), NOW, ZoneOffset.UTC)).isTrue();
    }

    @Test
    void oneFaultsSharedByCacheAndRpmCounterTakesBothDown() {
        Faults redis = new Faults();
        InMemoryRpmCounter rpm = new InMemoryRpmCounter(redis);
        InMemoryBillingCache cache = new InMemoryBillingCache(redis, rpm);
        redis.failAlways();
        assertThatThrownBy(() -> cache.put(CacheEntry.of(USER, Money.ZERO))).isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> rpm.increment(USER, null, NOW)).isInstanceOf(BackendUnavailableException.class);
        redis.heal();
        assertThat(rpm.increment(USER, null, NOW)).isEqualTo(1);
    }

    @Test
    void aHangingCacheBlocksTheCallerUntilReleased() throws Exception {
        InMemoryBillingCache cache = new InMemoryBillingCache();
        cache.faults().hang();
        Future<?> put = pool.submit(() -> cache.put(CacheEntry.of(USER, Money.parse("3"))));
        assertThat(cache.faults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.cachedBalance(USER)).isEmpty();
        cache.faults().release();
        put.get(30, TimeUnit.SECONDS);
        assertThat(cache.cachedBalance(USER)).contains(Money.parse("3"));
    }

    @Test
    void aHangingStoreCallCanBeCancelledByInterruptingIt() throws Exception {
        InMemoryBalanceStore store = new InMemoryBalanceStore();
        store.set(USER, Money.parse("5"));
        store.faults().hang();
        Future<?> deduct = pool.submit(() -> store.deduct(USER, Money.parse("1")));
        assertThat(store.faults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        deduct.cancel(true);
        assertThatThrownBy(() -> deduct.get(30, TimeUnit.SECONDS)).isInstanceOfAny(
                java.util.concurrent.CancellationException.class, ExecutionException.class);
        store.faults().heal();
        assertThat(store.faults().awaitHungCalls(0, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.find(USER)).contains(Money.parse("5"));
    }

    @Test
    void everyStoreFailsWithoutChangingAnything() {
        InMemorySubscriptionStore subs = new InMemorySubscriptionStore();
        SubscriptionState sub = new SubscriptionState(USER, 7, SubscriptionStatus.ACTIVE, NOW.plus(Duration.ofDays(1)),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
        subs.save(sub);
        subs.faults().failNext(1);
        assertThatThrownBy(() -> subs.addUsage(USER, 7, Money.parse("1"), NOW)).isInstanceOf(BackendUnavailableException.class);
        assertThat(subs.find(USER, 7)).contains(sub);

        InMemoryWindowCounterStore counters = new InMemoryWindowCounterStore();
        counters.faults().failNext(1);
        assertThatThrownBy(() -> counters.add("c", Window.calendarDay(), 1, NOW, ZoneOffset.UTC))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(counters.find("c")).isEmpty();

        InMemoryPlatformQuotaStore platforms = new InMemoryPlatformQuotaStore();
        platforms.faults().failNext(1);
        assertThatThrownBy(() -> platforms.addUsage(USER, "p", Money.parse("1"), NOW, ZoneOffset.UTC))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(platforms.find(USER, "p")).isEmpty();

        InMemoryRpmOverrideStore overrides = new InMemoryRpmOverrideStore();
        overrides.faults().failNext(1);
        assertThatThrownBy(() -> overrides.set(USER, 7, 5)).isInstanceOf(BackendUnavailableException.class);
        assertThat(overrides.find(USER, 7)).isEmpty();

        InMemoryUsageLog log = new InMemoryUsageLog();
        log.faults().failNext(1);
        assertThatThrownBy(() -> log.appendAll(List.of(event("a"), event("b")))).isInstanceOf(BackendUnavailableException.class);
        assertThat(log.size()).isZero();

        InMemoryRollupStore rollups = new InMemoryRollupStore();
        rollups.faults().failNext(1);
        assertThatThrownBy(() -> rollups.add(List.of(HourlyUsage.of(event("a"), ZoneOffset.UTC))))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(rollups.find(null, Instant.EPOCH, NOW.plusSeconds(3600))).isEmpty();

        InMemoryStatisticsStore stats = new InMemoryStatisticsStore();
        stats.faults().failNext(1);
        assertThatThrownBy(() -> stats.put(new DailyStats(LocalDate.of(2025, 3, 10), null, UsageTotals.ZERO)))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(stats.find(LocalDate.of(2025, 3, 10), null)).isEmpty();
    }

    @Test
    void aFailedLedgerCallAppliesNothing() {
        InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
        ledger.faults().failNext(1);
        assertThatThrownBy(() -> ledger.applyAll(List.of(event("a")), NOW, ZoneOffset.UTC))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(ledger.log().size()).isZero();
        assertThat(ledger.balances().find(USER)).isEmpty();
        assertThat(ledger.apply(event("a"), NOW, ZoneOffset.UTC)).isTrue();
        assertThat(ledger.balances().find(USER)).contains(Money.parse("-1"));
    }

    @Test
    void aFailedSubmitRecordsNothing() {
        InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
        InMemoryUsageSink sink = InMemoryUsageSink.forwardingTo(ledger, MutableClock.at(NOW), ZoneOffset.UTC);
        sink.faults().failNext(1);
        assertThatThrownBy(() -> sink.submit(event("a"))).isInstanceOf(BackendUnavailableException.class);
        assertThat(sink.submitted()).isEmpty();
        assertThat(ledger.log().size()).isZero();
        sink.submit(event("a"));
        assertThat(sink.submitted()).containsExactly(event("a"));
        assertThat(ledger.log().size()).isEqualTo(1);
    }
}
