package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.QuotaListener;
import dev.quota.core.QuotaListener.BreakerState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The billing breaker: opens after consecutive failures, probes after the reset time on the injected clock. */
class BillingBreakerTest {

    private final StepClock clock = new StepClock();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final QuotaListener listener = new QuotaListener() {
        @Override
        public void onBreakerStateChange(BreakerState from, BreakerState to) {
            transitions.add(from + "->" + to);
        }
    };
    private final BillingBreaker breaker = new BillingBreaker(2, Duration.ofSeconds(30), 1, clock, listener);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresOnly() {
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.failure();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.success();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.failure();
        assertThat(breaker.state()).as("a success in between resets the count").isEqualTo(BreakerState.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void probesAfterTheResetTimeOnItsClockAndReopensOnAFailedProbe() {
        breaker.failure();
        breaker.failure();
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.tryAcquire()).as("still open before the reset time").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("one probe at a time").isFalse();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
                "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }
}
