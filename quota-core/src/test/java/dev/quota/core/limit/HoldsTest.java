package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import org.junit.jupiter.api.Test;

class HoldsTest {

    @Test
    void anUnlimitedSubscriptionHoldsNothingInTheSubscriptionScope() {
        CheckRequest unlimited = CheckRequest.builder(42).subscriptionGroup(7, PeriodLimits.UNLIMITED, Limit.unlimited())
                .subscribed(true).build();

        assertThat(Holds.holdsSubscription(unlimited)).isFalse();
    }

    @Test
    void aSubscriptionWithAnyCapHoldsInTheSubscriptionScope() {
        PeriodLimits monthlyOnly = new PeriodLimits(Limit.unlimited(), Limit.unlimited(), Limit.of(Money.parse("30")));
        CheckRequest capped = CheckRequest.builder(42).subscriptionGroup(7, monthlyOnly, Limit.unlimited())
                .subscribed(true).build();

        assertThat(Holds.holdsSubscription(capped)).isTrue();
    }

    @Test
    void balanceModeNeverHoldsInTheSubscriptionScope() {
        assertThat(Holds.holdsSubscription(CheckRequest.builder(42).group(7, Limit.unlimited()).build())).isFalse();
        assertThatThrownBy(() -> Holds.holdsSubscription(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void negativeAmountsAreRejected() {
        assertThatThrownBy(() -> new Holds(0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
