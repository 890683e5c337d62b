package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.KEY;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.PLATFORM;
import static dev.quota.core.limit.EvaluatorFixture.TODAY_LOCAL_MIDNIGHT;
import static dev.quota.core.limit.EvaluatorFixture.activeSubscription;
import static dev.quota.core.limit.EvaluatorFixture.ago;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.capUsd;
import static dev.quota.core.limit.EvaluatorFixture.daily;
import static dev.quota.core.limit.EvaluatorFixture.keyLimits;
import static dev.quota.core.limit.EvaluatorFixture.keyUsage;
import static dev.quota.core.limit.EvaluatorFixture.platformUsage;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static dev.quota.core.limit.EvaluatorFixture.subscription;
import static dev.quota.core.limit.EvaluatorFixture.subscriptionRequest;
import static dev.quota.core.limit.EvaluatorFixture.usd;
import static dev.quota.core.limit.EvaluatorFixture.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.limit.EvaluatorFixture.RecordingRpmCounts;
import dev.quota.core.Money;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The order of the eligibility check: simple mode, circuit breaker, billing mode, user × platform quota,
 * API key windows, RPM last. The first denial wins.
 */
class EligibilityCheckOrderTest {

    /** A request that every check would deny: no balance, exhausted platform, key and RPM. */
    private static CheckRequest doomedBalanceRequest() {
        return balanceRequest()
                .platform(PLATFORM)
                .apiKey(KEY, keyLimits(KeyWindow.FIVE_HOURS, capUsd(1)))
                .userRpmLimit(Limit.of(1))
                .build();
    }

    private static BillingState doomedBalanceState() {
        return state()
                .balance(Money.ZERO)
                .platform(daily(capUsd(1)), platformUsage(used(usd(1), TODAY_LOCAL_MIDNIGHT), WindowUsage.EMPTY,
                        WindowUsage.EMPTY))
                .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(1), ago(Duration.ofHours(1)))))
                .build();
    }

    @Test
    void simple_mode_allows_a_request_every_other_check_would_deny() {
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 99);
        CheckRequest request = doomedBalanceRequest();

        Decision d = EVALUATOR.evaluate(request, doomedBalanceState(), NOW, true, true,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.allowed()).isTrue();
        assertThat(d.httpStatus()).isEqualTo(200);
        assertThat(counts.increments).isEmpty();
    }

    @Test
    void an_open_circuit_breaker_denies_with_billing_service_error_before_any_other_check() {
        RecordingRpmCounts counts = new RecordingRpmCounts();
        CheckRequest request = doomedBalanceRequest();

        Decision d = EVALUATOR.evaluate(request, doomedBalanceState(), NOW, false, true,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(d.httpStatus()).isEqualTo(503);
        assertThat(counts.increments).isEmpty();
    }

    @Test
    void an_open_circuit_breaker_denies_a_request_that_would_otherwise_pass() {
        Decision d = EVALUATOR.evaluate(balanceRequest().build(), state().build(), NOW, false, true,
                RpmPlan.NONE, new RecordingRpmCounts());

        assertThat(d.reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
    }

    @Test
    void insufficient_balance_wins_over_platform_quota_key_windows_and_rpm() {
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 99);
        CheckRequest request = doomedBalanceRequest();

        Decision d = EVALUATOR.evaluate(request, doomedBalanceState(), NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(counts.increments).as("RPM is not counted for a request denied earlier").isEmpty();
    }

    @Test
    void platform_quota_wins_over_key_windows_and_rpm() {
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 99);
        CheckRequest request = doomedBalanceRequest();
        BillingState state = state()
                .platform(daily(capUsd(1)), platformUsage(used(usd(1), TODAY_LOCAL_MIDNIGHT), WindowUsage.EMPTY,
                        WindowUsage.EMPTY))
                .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(1), ago(Duration.ofHours(1)))))
                .build();

        Decision d = EVALUATOR.evaluate(request, state, NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        assertThat(counts.increments).isEmpty();
    }

    @Test
    void key_windows_win_over_rpm_and_the_rpm_counter_is_not_called() {
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 99);
        CheckRequest request = doomedBalanceRequest();
        BillingState state = state()
                .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(1), ago(Duration.ofHours(1)))))
                .build();

        Decision d = EVALUATOR.evaluate(request, state, NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
        assertThat(counts.increments).isEmpty();
    }

    @Test
    void rpm_is_checked_last_once_every_other_check_passed() {
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 2);
        CheckRequest request = doomedBalanceRequest();

        Decision d = EVALUATOR.evaluate(request, state().build(), NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.USER_RPM_EXCEEDED);
        assertThat(counts.increments).containsExactly(RpmScope.USER);
    }

    @Test
    void a_subscription_denial_does_not_count_rpm() {
        RecordingRpmCounts counts = new RecordingRpmCounts();
        CheckRequest request = subscriptionRequest(PeriodLimits.UNLIMITED).userRpmLimit(Limit.of(10)).build();
        BillingState state = state()
                .subscription(subscription(SubscriptionStatus.SUSPENDED, NOW.plus(Duration.ofDays(1)),
                        WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY))
                .build();

        Decision d = EVALUATOR.evaluate(request, state, NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d.reason()).isEqualTo(DenyReason.SUBSCRIPTION_INVALID);
        assertThat(counts.increments).isEmpty();
    }

    @Test
    void subscription_status_is_checked_before_subscription_usage() {
        CheckRequest request = subscriptionRequest(daily(capUsd(1))).build();
        BillingState state = state()
                .subscription(subscription(SubscriptionStatus.CANCELLED, NOW.plus(Duration.ofDays(1)),
                        used(usd(5), ago(Duration.ofHours(1))), WindowUsage.EMPTY, WindowUsage.EMPTY))
                .build();

        assertThat(EVALUATOR.evaluateBilling(request, state, NOW).reason()).isEqualTo(DenyReason.SUBSCRIPTION_INVALID);
    }

    @Test
    void daily_subscription_usage_is_checked_before_weekly_and_monthly() {
        PeriodLimits limits = new PeriodLimits(capUsd(1), capUsd(1), capUsd(1));
        WindowUsage exhausted = used(usd(1), ago(Duration.ofHours(1)));
        BillingState state = state().subscription(activeSubscription(exhausted, exhausted, exhausted)).build();

        Decision d = EVALUATOR.evaluateBilling(subscriptionRequest(limits).build(), state, NOW);

        assertThat(d.reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
    }

    @Test
    void weekly_subscription_usage_is_checked_before_monthly() {
        PeriodLimits limits = new PeriodLimits(Limit.unlimited(), capUsd(1), capUsd(1));
        WindowUsage exhausted = used(usd(1), ago(Duration.ofHours(1)));
        BillingState state = state().subscription(activeSubscription(WindowUsage.EMPTY, exhausted, exhausted)).build();

        Decision d = EVALUATOR.evaluateBilling(subscriptionRequest(limits).build(), state, NOW);

        assertThat(d.reason()).isEqualTo(DenyReason.WEEKLY_LIMIT_EXCEEDED);
    }

    @Test
    void subscription_limits_win_over_key_windows() {
        CheckRequest request = subscriptionRequest(daily(capUsd(1)))
                .apiKey(KEY, keyLimits(KeyWindow.FIVE_HOURS, capUsd(1)))
                .build();
        BillingState state = state()
                .subscription(activeSubscription(used(usd(1), ago(Duration.ofHours(1))), WindowUsage.EMPTY,
                        WindowUsage.EMPTY))
                .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(1), ago(Duration.ofHours(1)))))
                .build();

        assertThat(EVALUATOR.evaluateBilling(request, state, NOW).reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
    }

    @Test
    void the_five_hour_key_window_is_checked_before_one_day_and_seven_days() {
        KeyLimits limits = new KeyLimits(capUsd(1), capUsd(1), capUsd(1));
        WindowUsage exhausted = used(usd(1), ago(Duration.ofHours(1)));
        KeyUsage usage = new KeyUsage(EvaluatorFixture.USER, KEY, exhausted, exhausted, exhausted);

        Decision d = EVALUATOR.evaluateBilling(balanceRequest().apiKey(KEY, limits).build(),
                state().keyUsage(usage).build(), NOW);

        assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
    }

    @Test
    void a_request_within_every_limit_is_allowed() {
        CheckRequest request = balanceRequest()
                .platform(PLATFORM)
                .apiKey(KEY, new KeyLimits(capUsd(10), capUsd(10), capUsd(10)))
                .userRpmLimit(Limit.of(60))
                .build();
        BillingState state = state()
                .platform(new PeriodLimits(capUsd(10), capUsd(10), capUsd(10)),
                        platformUsage(used(usd(9), TODAY_LOCAL_MIDNIGHT), WindowUsage.EMPTY, WindowUsage.EMPTY))
                .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(9), ago(Duration.ofHours(1)))))
                .build();
        RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 60);

        Decision d = EVALUATOR.evaluate(request, state, NOW, false, false,
                EVALUATOR.rpmPlan(request, java.util.OptionalLong.empty()), counts);

        assertThat(d).isEqualTo(Decision.allow());
        assertThat(d.denyReason()).isEmpty();
        assertThat(counts.increments).containsExactly(RpmScope.USER);
    }
}
