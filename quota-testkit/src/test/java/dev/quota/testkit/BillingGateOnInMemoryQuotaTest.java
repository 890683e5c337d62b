package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Reservation;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a gateway team's unit tests look like on the testkit: a {@link BillingGate} over {@link InMemoryQuota},
 * driven by a {@link MutableClock}, with faults injected instead of real outages.
 */
class BillingGateOnInMemoryQuotaTest {

    private static final long USER = 42;
    private static final long API_KEY = 9;

    private MutableClock clock;
    private InMemoryQuota quota;
    private BillingGate gate;

    @BeforeEach
    void startGate() {
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
        quota = InMemoryQuota.create(clock, ZoneId.of("Asia/Shanghai"));
        gate = quota.gateBuilder().build();
    }

    @AfterEach
    void closeGate() {
        quota.cacheFaults().heal();
        quota.storeFaults().heal();
        gate.close();
    }

    private static CheckRequest request() {
        return CheckRequest.builder(USER)
                .apiKey(API_KEY, new KeyLimits(Limit.of(Money.parse("1")), Limit.unlimited(), Limit.unlimited()))
                .userRpmLimit(Limit.of(3))
                .build();
    }

    private UsageEvent usage(String requestId, String cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).totalCost(Money.parse(cost))
                .occurredAt(clock.instant()).build();
    }

    /** Checks and waits for the gate's asynchronous cache refills, so the next step sees a warm cache. */
    /** With 5 USD on the balance: one check, then its usage of {@code cost} recorded and flushed. */
    private void checkAndRecord(String cost) {
        quota.balances().set(USER, Money.parse("5"));
        check();
        gate.record(usage("req-1", cost));
        gate.flush();
    }

    private Decision check() {
        Decision d = gate.check(request());
        gate.flush();
        return d;
    }

    @Test
    void aUserWithoutBalanceIsDenied() {
        Decision d = check();
        assertThat(d.denyReason()).contains(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(d.httpStatus()).isEqualTo(403);
    }

    @Test
    void recordedUsageIsChargedOnceEvenWhenTheGatewayRetries() {
        quota.balances().set(USER, Money.parse("5"));
        assertThat(check().allowed()).isTrue();
        gate.record(usage("req-1", "0.25"));
        gate.record(usage("req-1", "0.25"));
        gate.flush();
        assertThat(quota.balances().find(USER)).contains(Money.parse("4.75"));
        assertThat(quota.cache().cachedBalance(USER)).contains(Money.parse("4.75"));
        assertThat(quota.usageLog().size()).isEqualTo(1);
    }

    @Test
    void recordedUsageStartsTheKeyWindowsAtTheGatesNowInCacheAndStore() {
        checkAndRecord("0.5");
        WindowUsage expected = new WindowUsage(Money.parse("0.5").nanos(), clock.instant());
        assertThat(quota.cache().cachedKeyUsage(USER, API_KEY))
                .hasValueSatisfying(k -> assertThat(k.fiveHours()).isEqualTo(expected));
        assertThat(quota.windowCounters().findKeyUsage(USER, API_KEY).map(KeyUsage::fiveHours)).contains(expected);
    }

    @Test
    void theFiveHourKeyWindowDeniesUntilItRollsOver() {
        checkAndRecord("1");
        Decision denied = check();
        assertThat(denied.denyReason()).contains(DenyReason.API_KEY_RATE_5H_EXCEEDED);
        assertThat(denied.retryAfterSeconds()).contains(Duration.ofHours(5).toSeconds());
        clock.advance(Duration.ofHours(5));
        assertThat(check().allowed()).isTrue();
        assertThat(quota.windowCounters().findKeyUsage(USER, API_KEY).map(KeyUsage::fiveHours))
                .hasValueSatisfying(w -> assertThat(w.used()).isEqualTo(Money.parse("1").nanos()));
    }

    @Test
    void requestsBeyondTheRpmLimitAreDeniedUntilTheNextMinute() {
        quota.balances().set(USER, Money.parse("5"));
        for (int i = 0; i < 3; i++) {
            assertThat(check().allowed()).isTrue();
        }
        assertThat(check().denyReason()).contains(DenyReason.USER_RPM_EXCEEDED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(check().allowed()).isTrue();
    }

    @Test
    void whenTheCacheIsDownTheGateAnswersFromTheStores() {
        quota.balances().set(USER, Money.parse("5"));
        quota.cacheFaults().failAlways();
        assertThat(gate.check(request()).allowed()).isTrue();
        gate.record(usage("req-1", "0.5"));
        assertThat(quota.balances().find(USER)).contains(Money.parse("4.5"));
    }

    @Test
    void whenCacheAndStoresAreDownTheBalanceCheckFailsClosed() {
        quota.cacheFaults().failAlways();
        quota.storeFaults().failAlways();
        Decision d = gate.check(request());
        assertThat(d.denyReason()).contains(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(d.httpStatus()).isEqualTo(503);
    }

    @Test
    void reservationsNeverHoldMoreThanTheBalance() {
        quota.balances().set(USER, Money.parse("1"));
        check();
        Reservation first = gate.reserve(request(), Money.parse("0.6"));
        Reservation second = gate.reserve(request(), Money.parse("0.6"));
        assertThat(first.allowed()).isTrue();
        assertThat(first.held()).isTrue();
        assertThat(second.allowed()).isFalse();
        gate.release(first);
        assertThat(gate.reserve(request(), Money.parse("0.6")).allowed()).isTrue();
    }
}
