package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.assertDeniedUntil;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.KEY;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.activeSubscription;
import static dev.quota.core.limit.EvaluatorFixture.ago;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.capUsd;
import static dev.quota.core.limit.EvaluatorFixture.keyLimits;
import static dev.quota.core.limit.EvaluatorFixture.keyUsage;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static dev.quota.core.limit.EvaluatorFixture.subscriptionRequest;
import static dev.quota.core.limit.EvaluatorFixture.usd;
import static dev.quota.core.limit.EvaluatorFixture.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** API key spend windows: rolling 5 h / 1 d / 7 d, in both billing modes. */
class ApiKeyWindowCheckTest {

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of(KeyWindow.FIVE_HOURS, DenyReason.API_KEY_RATE_5H_EXCEEDED, Duration.ofHours(5)),
                Arguments.of(KeyWindow.ONE_DAY, DenyReason.API_KEY_RATE_1D_EXCEEDED, Duration.ofDays(1)),
                Arguments.of(KeyWindow.SEVEN_DAYS, DenyReason.API_KEY_RATE_7D_EXCEEDED, Duration.ofDays(7)));
    }

    private static Decision checkBalanceMode(KeyWindow w, Limit limit, KeyUsage usage) {
        return EVALUATOR.evaluateBilling(balanceRequest().apiKey(KEY, keyLimits(w, limit)).build(),
                state().keyUsage(usage).build(), NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void denies_at_the_key_limit_in_balance_mode_until_start_plus_length(KeyWindow w, DenyReason reason,
                                                                        Duration length) {
        Instant start = ago(Duration.ofHours(1));

        Decision d = checkBalanceMode(w, capUsd(3), keyUsage(w, used(usd(3), start)));

        assertDeniedUntil(d, reason, start.plus(length), length.minusHours(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void denies_at_the_key_limit_in_subscription_mode_too(KeyWindow w, DenyReason reason, Duration length) {
        Instant start = ago(Duration.ofHours(1));
        CheckRequest request = subscriptionRequest(PeriodLimits.UNLIMITED).apiKey(KEY, keyLimits(w, capUsd(3))).build();
        BillingState state = state().subscription(activeSubscription()).keyUsage(keyUsage(w, used(usd(3), start)))
                .build();

        Decision d = EVALUATOR.evaluateBilling(request, state, NOW);

        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.resetsAt()).isEqualTo(start.plus(length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void an_expired_key_window_counts_as_zero(KeyWindow w, DenyReason reason, Duration length) {
        Decision d = checkBalanceMode(w, capUsd(3), keyUsage(w, used(usd(300), NOW.minus(length))));

        assertThat(d.allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void a_disabled_key_window_denies_without_usage_and_resets_length_from_now(KeyWindow w, DenyReason reason,
                                                                              Duration length) {
        Decision d = checkBalanceMode(w, Limit.disabled(), null);

        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.resetsAt()).isEqualTo(NOW.plus(length));
    }

    @ParameterizedTest
    @EnumSource(KeyWindow.class)
    void allows_below_the_key_limit(KeyWindow w) {
        assertThat(checkBalanceMode(w, capUsd(3), keyUsage(w, used(usd(3) - 1, ago(Duration.ofMinutes(5)))))
                .allowed()).isTrue();
    }

    @Test
    void a_request_without_api_key_skips_the_key_windows() {
        BillingState state = state().keyUsage(keyUsage(KeyWindow.FIVE_HOURS, used(usd(9), ago(Duration.ofHours(1)))))
                .build();

        assertThat(EVALUATOR.evaluateBilling(balanceRequest().build(), state, NOW).allowed()).isTrue();
    }

    @Test
    void key_windows_are_rolling_windows_of_five_hours_one_day_and_seven_days() {
        assertThat(KeyWindow.FIVE_HOURS.window()).isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofHours(5)));
        assertThat(KeyWindow.ONE_DAY.window()).isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(1)));
        assertThat(KeyWindow.SEVEN_DAYS.window()).isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(7)));
        assertThat(KeyWindow.FIVE_HOURS.label()).isEqualTo("5h");
        assertThat(KeyWindow.ONE_DAY.label()).isEqualTo("1d");
        assertThat(KeyWindow.SEVEN_DAYS.label()).isEqualTo("7d");
    }
}
