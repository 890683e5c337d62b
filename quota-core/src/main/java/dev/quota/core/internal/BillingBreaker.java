package dev.quota.core.internal;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.event.CircuitBreakerStateChangedEvent;
import dev.quota.core.QuotaListener;
import dev.quota.core.QuotaListener.BreakerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The billing circuit breaker: opens after {@code failureThreshold} consecutive failures to load a
 * balance or subscription, rejects calls while open, lets {@code halfOpenRequests} probes through after
 * {@code resetTimeout}, closes on a successful probe and re-opens on a failed one.
 *
 * <p>The state machine is Failsafe's {@link CircuitBreaker}; the open → half-open transition is driven by
 * the injected {@link Clock} (Failsafe's own delay is set out of reach) so that tests control time.
 * Thread-safe.
 */
public final class BillingBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(BillingBreaker.class);

    private final CircuitBreaker<Object> breaker;
    private final Clock clock;
    private final Duration resetTimeout;
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();

    /**
     * @param failureThreshold consecutive failures that open the breaker
     * @param resetTimeout time open before probing
     * @param halfOpenRequests probes allowed while half-open
     * @param clock the clock
     * @param listener notified of transitions
     */
    public BillingBreaker(int failureThreshold, Duration resetTimeout, int halfOpenRequests, Clock clock,
                          QuotaListener listener) {
        this.clock = clock;
        this.resetTimeout = resetTimeout;
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(failureThreshold)
                .withSuccessThreshold(1, halfOpenRequests)
                .withDelay(Duration.ofDays(365 * 100))
                .onOpen(e -> {
                    openedAt.set(clock.instant());
                    LOG.error("ALERT: billing circuit breaker opened (was {})", e.getPreviousState());
                    notify(listener, e, BreakerState.OPEN);
                })
                .onHalfOpen(e -> {
                    LOG.warn("billing circuit breaker half-open: probing");
                    notify(listener, e, BreakerState.HALF_OPEN);
                })
                .onClose(e -> {
                    LOG.warn("billing circuit breaker closed (was {})", e.getPreviousState());
                    notify(listener, e, BreakerState.CLOSED);
                })
                .build();
    }

    private static void notify(QuotaListener listener, CircuitBreakerStateChangedEvent e, BreakerState to) {
        BreakerState from = switch (e.getPreviousState()) {
            case OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case CLOSED -> BreakerState.CLOSED;
        };
        Listeners.safely(() -> listener.onBreakerStateChange(from, to));
    }

    /**
     * Asks to pass; a {@code true} answer must be followed by {@link #success()} or {@link #failure()}.
     *
     * @return true when the call may proceed
     */
    public boolean tryAcquire() {
        if (breaker.isOpen()) {
            Instant opened = openedAt.get();
            if (opened != null && !clock.instant().isBefore(opened.plus(resetTimeout))) {
                synchronized (this) {
                    if (breaker.isOpen()) {
                        breaker.halfOpen();
                    }
                }
            }
        }
        return breaker.tryAcquirePermit();
    }

    /** Records a successful load. */
    public void success() {
        breaker.recordSuccess();
    }

    /** Records a failed load. */
    public void failure() {
        breaker.recordFailure();
    }

    /** @return the current state */
    public BreakerState state() {
        return switch (breaker.getState()) {
            case OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case CLOSED -> BreakerState.CLOSED;
        };
    }
}
