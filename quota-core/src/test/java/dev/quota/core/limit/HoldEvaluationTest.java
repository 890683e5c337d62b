package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Reservations: a hold is admitted only while used + held + estimate stays within every cap. */
class HoldEvaluationTest {

    @Nested
    class ApiKey {

        private final CheckRequest request = balanceRequest().apiKey(KEY, keyLimits(KeyWindow.FIVE_HOURS, capUsd(10)))
                .build();
        private final Instant start = ago(Duration.ofHours(1));
        private final BillingState state = state().keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(6), start))).build();

        @Test
        void admits_a_hold_up_to_exactly_the_cap() {
            Decision d = EVALUATOR.evaluateHold(request, state, new Holds(0, 0, 0, usd(3)), usd(1), NOW);

            assertThat(d.allowed()).isTrue();
        }

        @Test
        void refuses_a_hold_one_nano_beyond_the_cap() {
            Decision d = EVALUATOR.evaluateHold(request, state, new Holds(0, 0, 0, usd(3)), usd(1) + 1, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
            assertThat(d.resetsAt()).isEqualTo(start.plus(Duration.ofHours(5)));
            assertThat(d.used()).as("used plus held").isEqualTo(usd(9));
            assertThat(d.limit()).isEqualTo(usd(10));
        }

        @Test
        void an_expired_window_admits_up_to_the_full_cap() {
            BillingState expired = state()
                    .keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(10), ago(Duration.ofHours(5))))).build();

            assertThat(EVALUATOR.evaluateHold(request, expired, Holds.NONE, usd(10), NOW).allowed()).isTrue();
        }
    }

    @Nested
    class Subscription {

        private final CheckRequest request = subscriptionRequest(daily(capUsd(10))).build();
        private final BillingState state = state()
                .subscription(activeSubscription(used(usd(6), ago(Duration.ofHours(1))), WindowUsage.EMPTY,
                        WindowUsage.EMPTY))
                .build();

        @Test
        void admits_a_hold_up_to_exactly_the_cap() {
            assertThat(EVALUATOR.evaluateHold(request, state, new Holds(0, usd(2), 0, 0), usd(2), NOW).allowed())
                    .isTrue();
        }

        @Test
        void refuses_a_hold_beyond_the_cap() {
            Decision d = EVALUATOR.evaluateHold(request, state, new Holds(0, usd(2), 0, 0), usd(2) + 1, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
        }

        @Test
        void refuses_an_invalid_subscription() {
            BillingState suspended = state().subscription(subscription(SubscriptionStatus.SUSPENDED,
                    NOW.plus(Duration.ofDays(1)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY)).build();

            assertThat(EVALUATOR.evaluateHold(request, suspended, Holds.NONE, 1, NOW).reason())
                    .isEqualTo(DenyReason.SUBSCRIPTION_INVALID);
        }

        @Test
        void ignores_the_balance() {
            BillingState noBalance = state().balance(Money.ZERO).subscription(activeSubscription()).build();

            assertThat(EVALUATOR.evaluateHold(request, noBalance, Holds.NONE, usd(1), NOW).allowed()).isTrue();
        }
    }

    @Nested
    class Platform {

        private final CheckRequest request = balanceRequest().platform(PLATFORM).build();
        private final BillingState state = state()
                .platform(daily(capUsd(5)), platformUsage(used(usd(3), TODAY_LOCAL_MIDNIGHT), WindowUsage.EMPTY,
                        WindowUsage.EMPTY))
                .build();

        @Test
        void admits_a_hold_up_to_exactly_the_cap() {
            assertThat(EVALUATOR.evaluateHold(request, state, new Holds(0, 0, usd(1), 0), usd(1), NOW).allowed())
                    .isTrue();
        }

        @Test
        void refuses_a_hold_beyond_the_cap() {
            Decision d = EVALUATOR.evaluateHold(request, state, new Holds(0, 0, usd(1), 0), usd(1) + 1, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        }
    }

    @Nested
    class Balance {

        private final CheckRequest request = balanceRequest().build();
        private final BillingState tenDollars = state().balance(Money.ofUnits(10)).build();

        @Test
        void admits_a_hold_that_spends_the_balance_down_to_exactly_zero() {
            assertThat(EVALUATOR.evaluateHold(request, tenDollars, new Holds(usd(4), 0, 0, 0), usd(6), NOW).allowed())
                    .isTrue();
        }

        @Test
        void refuses_a_hold_when_balance_minus_held_minus_estimate_is_negative() {
            Decision d = EVALUATOR.evaluateHold(request, tenDollars, new Holds(usd(4), 0, 0, 0), usd(6) + 1, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
            assertThat(d.httpStatus()).isEqualTo(403);
        }

        @Test
        void refuses_any_hold_on_a_zero_balance() {
            BillingState zero = state().balance(Money.ZERO).build();

            assertThat(EVALUATOR.evaluateHold(request, zero, Holds.NONE, 0, NOW).reason())
                    .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        }

        @Test
        void refuses_a_hold_on_a_missing_balance() {
            BillingState missing = state().balance(null).build();

            assertThat(EVALUATOR.evaluateHold(request, missing, Holds.NONE, 1, NOW).reason())
                    .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        }
    }

    @Nested
    class Validation {

        @Test
        void rejects_a_negative_estimate() {
            assertThatThrownBy(() -> EVALUATOR.evaluateHold(balanceRequest().build(), state().build(), Holds.NONE, -1,
                    NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate");
        }

        @Test
        void rejects_negative_held_amounts() {
            assertThatThrownBy(() -> new Holds(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Holds(0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
