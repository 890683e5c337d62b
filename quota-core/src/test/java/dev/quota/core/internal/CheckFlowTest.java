package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckKind;
import dev.quota.core.GateConfig;
import dev.quota.core.QuotaListener;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.InvalidDataException;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.spi.CheckView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The check flow runs the check order with the gate's steps: breaker, cache, stores, RPM. */
class CheckFlowTest {

    private static final CheckRequest CAPPED = CheckRequest.builder(1).userRpmLimit(Limit.of(2)).build();

    private final GateFixture f = new GateFixture();
    private final AtomicLong counter = new AtomicLong();
    private final List<CheckKind> fallbacks = new CopyOnWriteArrayList<>();
    private GateFixture.Parts parts;

    @AfterEach
    void close() {
        parts.close();
    }

    private CheckFlow flow(UnaryOperator<BillingGate.Builder> extra) {
        GateConfig config = f.config(b -> extra.apply(b.circuitBreaker(1, Duration.ofSeconds(30), 1)
                .rpmCounter((u, g, bucket) -> counter.incrementAndGet())
                .listener(new QuotaListener() {
                    @Override
                    public void onFallback(CheckKind kind, Throwable cause) {
                        fallbacks.add(kind);
                    }
                })));
        parts = new GateFixture.Parts(config);
        return parts.checks();
    }

    private static CheckView balance(String units, boolean rpmCounted, long userCount) {
        return new CheckView(Money.parse(units), null, null, null, Set.of(), rpmCounted, 0, userCount);
    }

    @Test
    void simpleModeAllowsWithoutTheBreakerOrTheCache() {
        CheckFlow flow = flow(b -> b.simpleMode(true));
        parts.breaker.tryAcquire();
        parts.breaker.failure();
        assertThat(flow.decide(CAPPED).allowed()).isTrue();
        assertThat(f.cache.calls).isEmpty();
    }

    @Test
    void anOpenBreakerDeniesBeforeTheCacheIsAsked() {
        CheckFlow flow = flow(b -> b);
        parts.breaker.tryAcquire();
        parts.breaker.failure();
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(f.cache.calls).isEmpty();
    }

    @Test
    void theCachesCountsApplyOnceBillingAllows() {
        CheckFlow flow = flow(b -> b);
        f.cache.view = balance("5", true, 3);
        Decision d = flow.decide(CAPPED);
        assertThat(d.reason()).isEqualTo(DenyReason.USER_RPM_EXCEEDED);
        assertThat(counter).as("the cache counted").hasValue(0);
        assertThat(parts.breaker.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aBillingDenialCountsNoRequest() {
        CheckFlow flow = flow(b -> b);
        f.cache.view = balance("0", false, 0);
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(counter).hasValue(0);
        f.cache.view = balance("1", false, 0);
        assertThat(flow.decide(CAPPED).allowed()).isTrue();
        assertThat(counter).as("the cache did not count: the counter did").hasValue(1);
    }

    @Test
    void aCacheOutageFallsBackToTheStores() {
        CheckFlow flow = flow(b -> b);
        f.cache.down = true;
        f.balances.rows.put(1L, Money.ofUnits(5));
        assertThat(flow.decide(CAPPED).allowed()).isTrue();
        f.balances.rows.put(1L, Money.ZERO);
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(fallbacks).containsExactly(CheckKind.BALANCE, CheckKind.BALANCE);
        assertThat(f.cache.calls).as("no refill while the cache is down").containsOnly("check");
    }

    @Test
    void anUndecodableRowDeniesAsInvalidDataAndIsNoOutage() {
        CheckFlow flow = flow(b -> b);
        f.cache.down = true;
        f.balances.failWith = new InvalidDataException("quota_balance row of user 1: unknown status");
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.BILLING_DATA_INVALID);
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.BILLING_DATA_INVALID);
        assertThat(parts.breaker.state()).isEqualTo(BreakerState.CLOSED);
        f.balances.failWith = new BackendUnavailableException("balances down");
        assertThat(flow.decide(CAPPED).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(parts.breaker.state()).isEqualTo(BreakerState.OPEN);
    }
}
