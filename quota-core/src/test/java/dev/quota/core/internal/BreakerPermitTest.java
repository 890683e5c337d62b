package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.QuotaListener;
import dev.quota.core.QuotaListener.BreakerState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A call's breaker permit answers once: its first outcome counts, an unanswered permit returns as a success. */
class BreakerPermitTest {

    private final StepClock clock = new StepClock();
    private final BillingBreaker breaker = new BillingBreaker(1, Duration.ofSeconds(30), 1, clock, QuotaListener.NONE);

    @Test
    void onlyTheFirstOutcomeOfACallCounts() {
        BreakerPermit permit = BreakerPermit.acquire(breaker);
        permit.failure();
        permit.success();
        permit.finish();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(BreakerPermit.acquire(breaker)).as("no permit while open").isNull();
    }

    @Test
    void aPermitNoReadAnsweredClosesAHalfOpenBreakerWhenFinished() {
        BreakerPermit.acquire(breaker).failure();
        clock.advance(Duration.ofSeconds(30));
        BreakerPermit probe = BreakerPermit.acquire(breaker);
        assertThat(probe).isNotNull();
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        probe.finish();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aSuccessFirstKeepsALaterFailureFromCounting() {
        BreakerPermit permit = BreakerPermit.acquire(breaker);
        permit.success();
        permit.failure();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    }
}
