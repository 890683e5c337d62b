package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.FailurePolicy;
import dev.quota.core.QuotaListener;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.testkit.InMemoryBillingCache;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Faults injected through the fakes: each gives the documented decision and loses no recorded usage. */
class BillingGateFaultTest extends GateTest {


    @Test
    void cacheFailureFallsBackToTheStore() {
        BillingGate gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        assertThat(gate.check(request().build()).allowed()).isTrue();
        q.balances().set(USER, usd("0"));
        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void cacheFailureDoesNotLoseRecordedUsage() {
        BillingGate gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        gate.record(usage(q, "1.5").platform(PLATFORM).build());
        gate.flush();
        assertThat(q.balances().find(USER)).contains(usd("3.5"));
        assertThat(q.platformQuotas().find(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(usd("1.5").nanos());
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(1);
    }

    @Test
    void cacheFailureWithAQueuedUsageWriteDoesNotLoseUsage() {
        BillingGate gate = open(q.gateBuilder().asyncUsageWrites(true));
        gate.check(request().build());
        gate.flush();
        q.cacheFaults().failNext(1);
        gate.record(usage(q, "1").build());
        gate.flush();
        assertThat(q.balances().find(USER)).contains(usd("4"));
        assertThat(gate.metrics().failedCacheWrites()).isEqualTo(1);
        assertThat(q.cache().cachedBalance(USER)).as("the stale entry was evicted").isEmpty();
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    @Test
    void aReservationWhenTheCacheFailsIsHeldLocallyAgainstTheStores() {
        BillingGate gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        dev.quota.core.Reservation r = gate.reserve(request().build(), usd("1"));
        assertThat(r.allowed()).isTrue();
        assertThat(r.held()).isTrue();
        assertThat(r.local()).isTrue();
        assertThat(q.cacheFaults().calls("BillingCache.reserve")).isEqualTo(1);
        assertThat(q.cacheFaults().calls("BillingCache.check")).as("no second trip to a failing cache").isZero();
        q.balances().set(USER, usd("0"));
        assertThat(gate.reserve(request().build(), usd("1")).decision().reason())
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void withABatchingWriterAFailingStoreNeverReachesTheCallerAndLosesNoUsage() {
        dev.quota.core.BatchingUsageWriter writer = dev.quota.core.BatchingUsageWriter
                .builder(q.ledger(), q.clock(), q.zone()).maxRetries(1)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .failedBatchDelay(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        BillingGate gate = open(q.gateBuilder().usageSink(writer));
        gate.check(request().build());
        gate.flush();
        q.storeFaults().failAlways();
        for (int i = 0; i < 5; i++) {
            gate.record(usage(q, "0.5").build());
        }
        assertThat(q.cache().cachedBalance(USER)).as("the hot path saw every request").contains(usd("2.5"));
        q.storeFaults().heal();
        gate.flush();
        assertThat(writer.pending()).isZero();
        assertThat(q.balances().find(USER)).contains(usd("2.5"));
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(5);
    }

    @Test
    void balanceStoreFailureAnswersBillingServiceError() {
        BillingGate gate = open(q.gateBuilder());
        q.storeFaults().failAlways();
        Decision d = gate.check(request().build());
        assertThat(d.reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(d.httpStatus()).isEqualTo(503);
    }

    @Test
    void balanceFailOpenPolicyAllowsWhenTheStoreFails() {
        BillingGate gate = open(q.gateBuilder().failurePolicy(CheckKind.BALANCE, FailurePolicy.FAIL_OPEN));
        q.storeFaults().failAlways();
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    @Test
    void aHangingStoreTimesOutIntoBillingServiceError() throws Exception {
        BillingGate gate = open(q.gateBuilder().loadTimeout(Duration.ofMillis(200)));
        q.storeFaults().hang();
        Decision d = gate.check(request().build());
        assertThat(d.reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        q.storeFaults().heal();
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    @Test
    void concurrentMissesCollapseIntoOneStoreLoad() throws Exception {
        BillingGate gate = open(q.gateBuilder());
        q.storeFaults().hang();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Decision>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> gate.check(request().build())));
            }
            assertThat(q.storeFaults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
            q.storeFaults().heal();
            for (Future<Decision> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS).allowed()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(q.storeFaults().calls("BalanceStore.find")).isLessThan(threads);
    }

    @Test
    void platformQuotaStoreFailureFailsOpen() {
        q.platformQuotas().setLimits(USER, PLATFORM, new PeriodLimits(Limit.disabled(), Limit.unlimited(), Limit.unlimited()));
        BillingGate gate = open(q.gateBuilder());
        gate.check(request().build());
        gate.flush();
        q.storeFaults().failAlways();
        assertThat(gate.check(request().platform(PLATFORM).build()).allowed()).isTrue();
    }

    @Test
    void platformQuotaIsCheckedOnceAgainstTheStoreWithoutRefillWhenTheCacheFails() {
        q.platformQuotas().setLimits(USER, PLATFORM, new PeriodLimits(Limit.disabled(), Limit.unlimited(), Limit.unlimited()));
        BillingGate gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        assertThat(gate.check(request().platform(PLATFORM).build()).reason())
                .isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        gate.flush();
        q.cacheFaults().heal();
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM)).isEmpty();
    }

    @Test
    void rpmFailsOpenWhenTheCounterFails() {
        BillingGate gate = open(q.gateBuilder());
        q.cacheFaults().failAlways();
        assertThat(gate.check(request().userRpmLimit(Limit.of(1)).build()).allowed()).isTrue();
        assertThat(gate.check(request().userRpmLimit(Limit.of(1)).build()).allowed()).isTrue();
    }

    @Test
    void rpmFailClosedPolicyDenies() {
        BillingGate gate = open(q.gateBuilder().failurePolicy(CheckKind.RPM, FailurePolicy.FAIL_CLOSED));
        q.cacheFaults().failAlways();
        assertThat(gate.check(request().userRpmLimit(Limit.of(1)).build()).reason())
                .isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
    }

    @Test
    void breakerOpensAfterTheConfiguredFailuresAndClosesAfterASuccessfulProbe() {
        List<String> transitions = new CopyOnWriteArrayList<>();
        BillingGate gate = open(q.gateBuilder().circuitBreaker(3, Duration.ofSeconds(30), 1)
                .listener(new QuotaListener() {
                    @Override
                    public void onBreakerStateChange(BreakerState from, BreakerState to) {
                        transitions.add(from + "->" + to);
                    }
                }));
        q.storeFaults().failAlways();
        for (int i = 0; i < 3; i++) {
            assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        }
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.OPEN);
        long loads = q.storeFaults().calls("BalanceStore.find");
        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(q.storeFaults().calls("BalanceStore.find")).as("open: the store is spared").isEqualTo(loads);

        q.storeFaults().heal();
        q.clock().advance(Duration.ofSeconds(29));
        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        q.clock().advance(Duration.ofSeconds(1));
        assertThat(gate.check(request().build()).allowed()).as("the half-open probe").isTrue();
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void aFailedProbeReopensTheBreaker() {
        BillingGate gate = open(q.gateBuilder().circuitBreaker(1, Duration.ofSeconds(30), 1));
        q.storeFaults().failAlways();
        gate.check(request().build());
        q.clock().advance(Duration.ofSeconds(30));
        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void aFullQueueDropsRefillsAndRunsUsageWritesOnTheCaller() throws Exception {
        BlockingPuts cache = new BlockingPuts(q.cache());
        BillingGate gate = open(q.gateBuilder().cache(cache).asyncUsageWrites(true)
                .cacheWritePool(1, 1, Duration.ofSeconds(30)));
        long[] users = {101, 102, 103};
        for (long u : users) {
            q.balances().set(u, usd("1"));
        }
        gate.check(dev.quota.core.CheckRequest.builder(101).build());
        assertThat(cache.blocked.await(30, TimeUnit.SECONDS)).isTrue();
        gate.check(dev.quota.core.CheckRequest.builder(102).build());
        gate.check(dev.quota.core.CheckRequest.builder(103).build());
        assertThat(gate.metrics().droppedCacheWrites()).isEqualTo(1);

        q.cache().put(CacheEntry.of(USER, usd("5")));
        gate.record(usage(q, "2").build());
        assertThat(gate.metrics().synchronousCacheWrites()).isEqualTo(1);
        assertThat(q.cache().cachedBalance(USER)).as("applied on the caller's thread").contains(usd("3"));

        cache.release.countDown();
        gate.flush();
        assertThat(q.cache().cachedBalance(101)).contains(usd("1"));
        assertThat(q.cache().cachedBalance(102)).contains(usd("1"));
        assertThat(q.cache().cachedBalance(103)).isEmpty();
        assertThat(q.balances().find(USER)).contains(usd("3"));
    }

    @Test
    void aCacheWriteOverrunningItsTimeoutIsInterrupted() throws Exception {
        BlockingPuts cache = new BlockingPuts(q.cache());
        BillingGate gate = open(q.gateBuilder().cache(cache).cacheWritePool(1, 10, Duration.ofMillis(100)));
        gate.check(request().build());
        assertThat(cache.interrupted.await(30, TimeUnit.SECONDS)).isTrue();
        gate.flush();
        assertThat(gate.metrics().timedOutCacheWrites()).isEqualTo(1);
    }

    @Test
    void aRefillRacingARecordNeverLeavesAStaleBalance() throws Exception {
        BlockingPuts cache = new BlockingPuts(q.cache());
        BillingGate gate = open(q.gateBuilder().cache(cache));
        gate.check(request().build());
        assertThat(cache.blocked.await(30, TimeUnit.SECONDS)).as("the refill of 5 USD is under way").isTrue();
        gate.record(usage(q, "2").build());
        cache.release.countDown();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("the stale refill was refused").isEmpty();
        assertThat(q.balances().find(USER)).contains(usd("3"));

        q.clock().advance(InMemoryBillingCache.DEFAULT_DIRTY_TTL);
        assertThat(gate.check(request().build()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("3"));
    }

    @Test
    void closeDrainsQueuedWrites() throws Exception {
        BlockingPuts cache = new BlockingPuts(q.cache());
        BillingGate gate = q.gateBuilder().cache(cache).cacheWritePool(1, 10, Duration.ofSeconds(30)).build();
        gate.check(request().build());
        assertThat(cache.blocked.await(30, TimeUnit.SECONDS)).isTrue();
        q.balances().set(202, usd("2"));
        gate.check(dev.quota.core.CheckRequest.builder(202).build());
        cache.release.countDown();
        gate.close();
        assertThat(q.cache().cachedBalance(202)).contains(usd("2"));
    }

    /** A cache whose first balance refill blocks until released (or interrupted). */
    private static final class BlockingPuts implements BillingCache {
        private final InMemoryBillingCache delegate;
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        BlockingPuts(InMemoryBillingCache delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean put(CacheEntry entry) {
            if (entry instanceof CacheEntry.Balance && blocked.getCount() > 0) {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return delegate.put(entry);
        }

        @Override
        public CheckView check(CacheCheck check) {
            return delegate.check(check);
        }

        @Override
        public boolean applyUsage(UsageEvent event, Instant now, ZoneId zone) {
            return delegate.applyUsage(event, now, zone);
        }

        @Override
        public ReserveView reserve(CacheCheck check, Hold hold) {
            return delegate.reserve(check, hold);
        }

        @Override
        public boolean settle(String holdId, UsageEvent event, Instant now, ZoneId zone) {
            return delegate.settle(holdId, event, now, zone);
        }

        @Override
        public boolean release(long userId, String holdId) {
            return delegate.release(userId, holdId);
        }

        @Override
        public void evict(EntryRef ref) {
            delegate.evict(ref);
        }
    }
}
