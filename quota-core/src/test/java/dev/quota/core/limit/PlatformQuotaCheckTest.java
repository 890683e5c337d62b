package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.assertDeniedUntil;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.NEXT_LOCAL_MIDNIGHT;
import static dev.quota.core.limit.EvaluatorFixture.NEXT_LOCAL_MONDAY;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.PLATFORM;
import static dev.quota.core.limit.EvaluatorFixture.THIS_LOCAL_MONDAY;
import static dev.quota.core.limit.EvaluatorFixture.TODAY_LOCAL_MIDNIGHT;
import static dev.quota.core.limit.EvaluatorFixture.activeSubscription;
import static dev.quota.core.limit.EvaluatorFixture.ago;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.capUsd;
import static dev.quota.core.limit.EvaluatorFixture.daily;
import static dev.quota.core.limit.EvaluatorFixture.monthly;
import static dev.quota.core.limit.EvaluatorFixture.platformUsage;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static dev.quota.core.limit.EvaluatorFixture.subscriptionRequest;
import static dev.quota.core.limit.EvaluatorFixture.usd;
import static dev.quota.core.limit.EvaluatorFixture.used;
import static dev.quota.core.limit.EvaluatorFixture.weekly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * User × platform quota, balance mode only: calendar day and week (Monday) in the business zone
 * (Asia/Shanghai here), rolling 30 days.
 */
class PlatformQuotaCheckTest {

    private static Decision check(PeriodLimits limits, PlatformQuotaRecord usage) {
        return EVALUATOR.evaluateBilling(balanceRequest().platform(PLATFORM).build(),
                state().platform(limits, usage).build(), NOW);
    }

    private static PlatformQuotaRecord dailyUsage(WindowUsage u) {
        return platformUsage(u, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    private static PlatformQuotaRecord weeklyUsage(WindowUsage u) {
        return platformUsage(WindowUsage.EMPTY, u, WindowUsage.EMPTY);
    }

    private static PlatformQuotaRecord monthlyUsage(WindowUsage u) {
        return platformUsage(WindowUsage.EMPTY, WindowUsage.EMPTY, u);
    }

    @Nested
    class Daily {

        @Test
        void denies_at_the_daily_quota_until_the_next_local_midnight() {
            Decision d = check(daily(capUsd(5)), dailyUsage(used(usd(5), TODAY_LOCAL_MIDNIGHT)));

            assertDeniedUntil(d, DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, NEXT_LOCAL_MIDNIGHT,
                    Duration.ofHours(5).plusMinutes(44).plusSeconds(30));
            assertThat(d.used()).isEqualTo(usd(5));
            assertThat(d.limit()).isEqualTo(usd(5));
        }

        @Test
        void allows_below_the_daily_quota() {
            assertThat(check(daily(capUsd(5)), dailyUsage(used(usd(5) - 1, TODAY_LOCAL_MIDNIGHT))).allowed()).isTrue();
        }

        @Test
        void usage_from_the_previous_local_day_counts_as_zero() {
            Instant lastMsOfYesterday = TODAY_LOCAL_MIDNIGHT.minusMillis(1);

            assertThat(check(daily(capUsd(5)), dailyUsage(used(usd(50), lastMsOfYesterday))).allowed()).isTrue();
        }

        @Test
        void the_day_follows_the_business_zone_not_utc() {
            // 2026-11-17T20:00Z is still the 17th in UTC but already the 18th (today) in Shanghai.
            Instant earlierTodayInShanghai = Instant.parse("2026-11-17T20:00:00Z");

            Decision d = check(daily(capUsd(5)), dailyUsage(used(usd(5), earlierTodayInShanghai)));

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        }
    }

    @Nested
    class Weekly {

        @Test
        void denies_at_the_weekly_quota_until_next_local_monday_midnight() {
            Decision d = check(weekly(capUsd(20)), weeklyUsage(used(usd(20), THIS_LOCAL_MONDAY)));

            assertDeniedUntil(d, DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED, NEXT_LOCAL_MONDAY,
                    Duration.between(NOW, NEXT_LOCAL_MONDAY));
        }

        @Test
        void usage_from_the_previous_local_week_counts_as_zero() {
            Decision d = check(weekly(capUsd(20)), weeklyUsage(used(usd(90), THIS_LOCAL_MONDAY.minusMillis(1))));

            assertThat(d.allowed()).isTrue();
        }
    }

    @Nested
    class Monthly {

        @Test
        void denies_at_the_monthly_quota_until_start_plus_thirty_days() {
            Instant start = ago(Duration.ofDays(10));

            Decision d = check(monthly(capUsd(100)), monthlyUsage(used(usd(100), start)));

            assertDeniedUntil(d, DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED, start.plus(Duration.ofDays(30)),
                    Duration.ofDays(20));
        }

        @Test
        void usage_thirty_days_old_counts_as_zero() {
            assertThat(check(monthly(capUsd(100)), monthlyUsage(used(usd(900), ago(Duration.ofDays(30))))).allowed())
                    .isTrue();
        }

        @Test
        void an_expired_window_resets_thirty_days_from_now_not_in_the_past() {
            Decision d = check(monthly(Limit.disabled()), monthlyUsage(used(usd(900), ago(Duration.ofDays(45)))));

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED);
            assertThat(d.resetsAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
            assertThat(d.used()).isZero();
        }

        @Test
        void a_window_without_start_resets_thirty_days_from_now() {
            Decision d = check(monthly(Limit.disabled()), monthlyUsage(WindowUsage.EMPTY));

            assertThat(d.resetsAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
            assertThat(d.retryAfter()).isEqualTo(Duration.ofDays(30));
        }
    }

    @Nested
    class Applicability {

        @Test
        void a_subscription_mode_request_is_exempt_from_platform_quota() {
            CheckRequest request = subscriptionRequest(PeriodLimits.UNLIMITED).platform(PLATFORM).build();
            BillingState state = state()
                    .subscription(activeSubscription())
                    .platform(new PeriodLimits(capUsd(1), capUsd(1), capUsd(1)),
                            platformUsage(used(usd(9), TODAY_LOCAL_MIDNIGHT), used(usd(9), THIS_LOCAL_MONDAY),
                                    used(usd(9), ago(Duration.ofDays(1)))))
                    .build();

            assertThat(EVALUATOR.evaluateBilling(request, state, NOW).allowed()).isTrue();
        }

        @Test
        void a_request_without_platform_skips_the_platform_quota() {
            BillingState state = state()
                    .platform(daily(capUsd(1)), dailyUsage(used(usd(9), TODAY_LOCAL_MIDNIGHT)))
                    .build();

            assertThat(EVALUATOR.evaluateBilling(balanceRequest().build(), state, NOW).allowed()).isTrue();
        }

        @Test
        void no_effective_limits_means_unlimited() {
            assertThat(check(null, dailyUsage(used(usd(1_000), TODAY_LOCAL_MIDNIGHT))).allowed()).isTrue();
        }

        @Test
        void no_record_yet_means_no_usage() {
            assertThat(check(daily(capUsd(5)), null).allowed()).isTrue();
        }

        @Test
        void a_disabled_limit_denies_even_without_a_record() {
            Decision d = check(daily(Limit.disabled()), null);

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
            assertThat(d.resetsAt()).isEqualTo(NEXT_LOCAL_MIDNIGHT);
        }

        @Test
        void the_daily_quota_is_checked_before_weekly_and_monthly() {
            Decision d = check(new PeriodLimits(capUsd(1), capUsd(1), capUsd(1)),
                    platformUsage(used(usd(1), TODAY_LOCAL_MIDNIGHT), used(usd(1), THIS_LOCAL_MONDAY),
                            used(usd(1), ago(Duration.ofDays(1)))));

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        }

        @Test
        void the_weekly_quota_is_checked_before_monthly() {
            Decision d = check(new PeriodLimits(Limit.unlimited(), capUsd(1), capUsd(1)),
                    platformUsage(WindowUsage.EMPTY, used(usd(1), THIS_LOCAL_MONDAY),
                            used(usd(1), ago(Duration.ofDays(1)))));

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED);
        }
    }
}
