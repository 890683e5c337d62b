package dev.quota.core.limit;

import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import org.junit.jupiter.api.Test;

/** Balance mode: the balance must be above zero. */
class BalanceModeTest {

    private static Decision check(Money balance) {
        return EVALUATOR.evaluateBilling(balanceRequest().build(), state().balance(balance).build(), NOW);
    }

    @Test
    void denies_a_zero_balance_with_insufficient_balance_403() {
        Decision d = check(Money.ZERO);

        assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(d.httpStatus()).isEqualTo(403);
    }

    @Test
    void denies_a_negative_balance() {
        assertThat(check(Money.parse("-0.5")).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void allows_a_balance_of_one_nano() {
        assertThat(check(Money.ofNanos(1)).allowed()).isTrue();
    }

    @Test
    void treats_a_missing_balance_as_insufficient() {
        assertThat(check(null).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void an_insufficient_balance_has_nothing_to_wait_for() {
        Decision d = check(Money.ZERO);

        assertThat(d.resetsAt()).isNull();
        assertThat(d.retryAfterSeconds()).isEmpty();
    }
}
