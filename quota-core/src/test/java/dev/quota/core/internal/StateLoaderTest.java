package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator.LoadedState;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store reader: what the view lacks is read, unsettled usage added, and the refill decided by its mode. */
class StateLoaderTest {

    private static final CheckRequest REQUEST = CheckRequest.builder(1).build();
    private static final CacheCheck CHECK = new CacheCheck(REQUEST, RpmPlan.NONE, GateFixture.NOW, ZoneOffset.UTC);
    /** The cache answered without the balance. */
    private static final CheckView MISSED_BALANCE = new CheckView(null, null, null, null,
            Set.of(CacheEntryKind.BALANCE), false, 0, 0);

    private final GateFixture f = new GateFixture();
    private final GateFixture.Parts parts = new GateFixture.Parts(f.config(b -> b.circuitBreaker(1,
            Duration.ofSeconds(30), 1)));

    @AfterEach
    void close() {
        parts.close();
    }

    private LoadedState load(StateLoader.Refill refill) {
        BreakerPermit permit = BreakerPermit.acquire(parts.breaker);
        try {
            return parts.loader.load(REQUEST, CHECK, MISSED_BALANCE, refill, permit);
        } finally {
            permit.finish();
        }
    }

    private long refills() {
        return f.cache.calls.stream().filter(c -> c.equals("putBalance 1")).count();
    }

    @Test
    void anExactReadOfAQuietUserIsRefilledAsTheModeSays() {
        f.balances.rows.put(1L, Money.ofUnits(5));
        assertThat(load(StateLoader.Refill.NONE).state().balance()).isEqualTo(Money.ofUnits(5));
        assertThat(refills()).isZero();
        load(StateLoader.Refill.NOW);
        assertThat(refills()).as("written before load returned").isEqualTo(1);
        load(StateLoader.Refill.QUEUED);
        assertThat(parts.pool.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(refills()).isEqualTo(2);
        assertThat(f.cache.balances).containsEntry(1L, Money.ofUnits(5));
    }

    /** Holds the pool's one worker until released, then queues a refill behind it that waits {@code wait}. */
    private void refillAfterWaitingInTheQueue(Duration wait) throws InterruptedException {
        f.balances.rows.put(1L, Money.ofUnits(5));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        parts.pool.submitCritical("a slow write", () -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        load(StateLoader.Refill.QUEUED);
        f.clock.advance(wait);
        release.countDown();
        assertThat(parts.pool.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aQueuedRefillWhoseReadBeganMoreThanHalfTheDirtyPeriodAgoIsDropped() throws InterruptedException {
        refillAfterWaitingInTheQueue(f.cache.dirtyTtl().dividedBy(2).plusMillis(1));
        assertThat(refills()).as("the dirty marker of usage that met the entry absent may have lapsed").isZero();
    }

    @Test
    void aQueuedRefillWithinHalfTheDirtyPeriodIsWritten() throws InterruptedException {
        refillAfterWaitingInTheQueue(f.cache.dirtyTtl().dividedBy(2));
        assertThat(refills()).isEqualTo(1);
    }

    @Test
    void aCacheThatReportsNoDirtyPeriodIsRefusedWhenTheGateIsConfigured() {
        BillingCache noDirtyPeriod = (BillingCache) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BillingCache.class},
                (proxy, method, args) -> method.getName().equals("dirtyTtl") ? null : method.invoke(f.cache, args));
        assertThatThrownBy(() -> f.config(b -> b.cache(noDirtyPeriod))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dirtyTtl");
        assertThat(f.config(b -> b).refillMaxAge()).isEqualTo(BillingCache.DEFAULT_DIRTY_TTL.dividedBy(2));
    }

    @Test
    void unsettledUsageIsAddedToTheReadAndBlocksTheRefill() {
        f.balances.rows.put(1L, Money.ofUnits(5));
        parts.unsettled.add(GateFixture.usage("r1", 1, "2"));
        assertThat(load(StateLoader.Refill.NOW).state().balance()).isEqualTo(Money.ofUnits(3));
        assertThat(refills()).isZero();
    }

    @Test
    void aFailedBalanceReadAnswersWithTheFailClosedDecisionAndFailsThePermit() {
        f.balances.failWith = new BackendUnavailableException("balances down");
        LoadedState loaded = load(StateLoader.Refill.NOW);
        assertThat(loaded.state()).isNull();
        assertThat(loaded.failure().reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(parts.breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void roundsAnAnswerDeclinesAreReadAgainAndTheLastOneIsConservative() {
        f.balances.rows.put(1L, Money.ofUnits(5));
        List<Boolean> rounds = new ArrayList<>();
        BreakerPermit permit = BreakerPermit.acquire(parts.breaker);
        String answer = parts.loader.readUntilExact(REQUEST, CHECK, MISSED_BALANCE, permit, d -> "failed",
                (g, conservative) -> {
                    rounds.add(conservative);
                    return conservative ? "answered" : null;
                });
        permit.finish();
        assertThat(answer).isEqualTo("answered");
        assertThat(rounds).containsExactly(false, false, true);
        assertThat(rounds).hasSize(StateLoader.MAX_READS);
        assertThat(f.balances.finds).hasValue(StateLoader.MAX_READS);
    }
}
