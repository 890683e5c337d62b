package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.assertDeniedUntil;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.GROUP;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.USER;
import static dev.quota.core.limit.EvaluatorFixture.activeSubscription;
import static dev.quota.core.limit.EvaluatorFixture.ago;
import static dev.quota.core.limit.EvaluatorFixture.capUsd;
import static dev.quota.core.limit.EvaluatorFixture.daily;
import static dev.quota.core.limit.EvaluatorFixture.monthly;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static dev.quota.core.limit.EvaluatorFixture.subscription;
import static dev.quota.core.limit.EvaluatorFixture.subscriptionRequest;
import static dev.quota.core.limit.EvaluatorFixture.usd;
import static dev.quota.core.limit.EvaluatorFixture.used;
import static dev.quota.core.limit.EvaluatorFixture.weekly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Subscription mode: a subscription group and a subscription; rolling 1 d / 7 d / 30 d usage windows. */
class SubscriptionModeTest {

    private static Decision check(PeriodLimits limits, SubscriptionState sub) {
        return EVALUATOR.evaluateBilling(subscriptionRequest(limits).build(), state().subscription(sub).build(), NOW);
    }

    @Nested
    class Mode {

        @Test
        void applies_to_a_subscription_group_the_user_is_subscribed_to() {
            assertThat(subscriptionRequest(PeriodLimits.UNLIMITED).build().subscriptionMode()).isTrue();
        }

        @Test
        void ignores_the_balance() {
            BillingState state = state().balance(Money.ZERO).subscription(activeSubscription()).build();

            Decision d = EVALUATOR.evaluateBilling(subscriptionRequest(PeriodLimits.UNLIMITED).build(), state, NOW);

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void a_subscription_group_without_a_subscription_is_billed_from_the_balance() {
            CheckRequest request = CheckRequest.builder(USER)
                    .subscriptionGroup(GROUP, daily(capUsd(1)), Limit.unlimited())
                    .subscribed(false)
                    .build();

            Decision d = EVALUATOR.evaluateBilling(request, state().balance(Money.ZERO).build(), NOW);

            assertThat(request.subscriptionMode()).isFalse();
            assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        }

        @Test
        void a_subscription_to_a_standard_group_is_billed_from_the_balance() {
            CheckRequest request = CheckRequest.builder(USER).group(GROUP, Limit.unlimited()).subscribed(true).build();

            Decision d = EVALUATOR.evaluateBilling(request, state().balance(Money.ZERO).build(), NOW);

            assertThat(request.subscriptionMode()).isFalse();
            assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        }
    }

    @Nested
    class Validity {

        /** @return a subscription with nothing used yet */
        private SubscriptionState unused(SubscriptionStatus status, Instant expiresAt) {
            return subscription(status, expiresAt, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
        }

        private void assertInvalid(Decision d) {
            assertThat(d.reason()).isEqualTo(DenyReason.SUBSCRIPTION_INVALID);
            assertThat(d.httpStatus()).isEqualTo(403);
        }

        @ParameterizedTest
        @EnumSource(value = SubscriptionStatus.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
        void denies_a_subscription_that_is_not_active(SubscriptionStatus status) {
            assertInvalid(check(PeriodLimits.UNLIMITED, unused(status, NOW.plus(Duration.ofDays(10)))));
        }

        @Test
        void denies_an_active_subscription_past_its_expiry() {
            assertInvalid(check(PeriodLimits.UNLIMITED, unused(SubscriptionStatus.ACTIVE, NOW.minusMillis(1))));
        }

        @Test
        void denies_an_active_subscription_at_exactly_its_expiry_instant() {
            SubscriptionState sub = unused(SubscriptionStatus.ACTIVE, NOW);

            assertInvalid(check(PeriodLimits.UNLIMITED, sub));
            assertThat(sub.isValidAt(NOW)).isFalse();
            assertThat(EVALUATOR.evaluateHold(subscriptionRequest(PeriodLimits.UNLIMITED).build(),
                    state().subscription(sub).build(), Holds.NONE, 0, NOW).reason())
                    .isEqualTo(DenyReason.SUBSCRIPTION_INVALID);
        }

        @Test
        void allows_an_active_subscription_one_millisecond_before_its_expiry() {
            SubscriptionState sub = unused(SubscriptionStatus.ACTIVE, NOW.plusMillis(1));

            assertThat(check(PeriodLimits.UNLIMITED, sub).allowed()).isTrue();
            assertThat(sub.isValidAt(NOW)).isTrue();
        }

        @Test
        void denies_when_the_subscription_is_missing() {
            assertInvalid(EVALUATOR.evaluateBilling(subscriptionRequest(PeriodLimits.UNLIMITED).build(),
                    state().build(), NOW));
        }

        @Test
        void an_invalid_subscription_carries_no_reset_time() {
            Decision d = EVALUATOR.evaluateBilling(subscriptionRequest(PeriodLimits.UNLIMITED).build(),
                    state().build(), NOW);

            assertThat(d.resetsAt()).isNull();
            assertThat(d.retryAfter()).isNull();
            assertThat(d.retryAfterSeconds()).isEmpty();
        }
    }

    @Nested
    class UsageLimits {

        @Test
        void denies_at_the_daily_limit_until_start_plus_one_day() {
            Instant start = ago(Duration.ofHours(2));

            Decision d = check(daily(capUsd(10)), activeSubscription(used(usd(10), start), WindowUsage.EMPTY,
                    WindowUsage.EMPTY));

            assertDeniedUntil(d, DenyReason.DAILY_LIMIT_EXCEEDED, start.plus(Duration.ofDays(1)),
                    Duration.ofHours(22));
            assertThat(d.measure()).isEqualTo(Measure.COST);
            assertThat(d.used()).isEqualTo(usd(10));
            assertThat(d.limit()).isEqualTo(usd(10));
        }

        @Test
        void allows_one_nano_below_the_daily_limit() {
            Decision d = check(daily(capUsd(10)), activeSubscription(used(usd(10) - 1, ago(Duration.ofHours(2))),
                    WindowUsage.EMPTY, WindowUsage.EMPTY));

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void denies_at_the_weekly_limit_until_start_plus_seven_days() {
            Instant start = ago(Duration.ofDays(3));

            Decision d = check(weekly(capUsd(50)), activeSubscription(WindowUsage.EMPTY, used(usd(50), start),
                    WindowUsage.EMPTY));

            assertDeniedUntil(d, DenyReason.WEEKLY_LIMIT_EXCEEDED, start.plus(Duration.ofDays(7)),
                    Duration.ofDays(4));
        }

        @Test
        void denies_at_the_monthly_limit_until_start_plus_thirty_days() {
            Instant start = ago(Duration.ofDays(10));

            Decision d = check(monthly(capUsd(100)), activeSubscription(WindowUsage.EMPTY, WindowUsage.EMPTY,
                    used(usd(120), start)));

            assertDeniedUntil(d, DenyReason.MONTHLY_LIMIT_EXCEEDED, start.plus(Duration.ofDays(30)),
                    Duration.ofDays(20));
            assertThat(d.used()).isEqualTo(usd(120));
        }

        @Test
        void an_expired_daily_window_counts_as_zero() {
            Decision d = check(daily(capUsd(10)), activeSubscription(used(usd(500), ago(Duration.ofDays(1))),
                    WindowUsage.EMPTY, WindowUsage.EMPTY));

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void an_expired_weekly_window_counts_as_zero() {
            Decision d = check(weekly(capUsd(10)), activeSubscription(WindowUsage.EMPTY,
                    used(usd(500), ago(Duration.ofDays(7))), WindowUsage.EMPTY));

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void an_expired_monthly_window_counts_as_zero() {
            Decision d = check(monthly(capUsd(10)), activeSubscription(WindowUsage.EMPTY, WindowUsage.EMPTY,
                    used(usd(500), ago(Duration.ofDays(30)))));

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void the_daily_window_is_still_live_one_millisecond_before_it_expires() {
            Decision d = check(daily(capUsd(10)), activeSubscription(
                    used(usd(10), ago(Duration.ofDays(1)).plusMillis(1)), WindowUsage.EMPTY, WindowUsage.EMPTY));

            assertThat(d.reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
            assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(1));
            assertThat(d.retryAfterSeconds()).contains(1L);
        }

        @Test
        void a_disabled_limit_denies_without_usage_and_resets_a_day_from_now() {
            Decision d = check(daily(Limit.disabled()), activeSubscription());

            assertThat(d.reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
            assertThat(d.resetsAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
            assertThat(d.used()).isZero();
            assertThat(d.limit()).isZero();
        }

        @Test
        void unset_limits_never_deny() {
            WindowUsage huge = used(usd(1_000_000), ago(Duration.ofMinutes(1)));

            assertThat(check(PeriodLimits.UNLIMITED, activeSubscription(huge, huge, huge)).allowed()).isTrue();
        }
    }
}
