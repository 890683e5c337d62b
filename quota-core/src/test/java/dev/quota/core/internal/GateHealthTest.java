package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate.GateMetrics;
import dev.quota.core.Health;
import dev.quota.core.Health.Status;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.Pingable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The health rules: pings of the cache and stores, breaker, usage-pipeline lag, owed evictions. */
class GateHealthTest {

    private static final Pingable OK = () -> { };
    private static final Pingable REFUSED = () -> {
        throw new BackendUnavailableException("connection refused");
    };
    private static final UnsettledUsage.Lag NO_LAG = new UnsettledUsage.Lag(0, Duration.ZERO);

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final StepClock clock = new StepClock();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private GateHealth health(Object cache, Object... stores) {
        return new GateHealth(cache, List.of(stores), executor, Duration.ofSeconds(5), Duration.ofSeconds(60), clock);
    }

    private static GateMetrics metrics(BreakerState breaker, long rejected, long dropped, long owed) {
        return new GateMetrics(dropped, 0, 0, 0, breaker, rejected, 0, 0, 0, owed);
    }

    private static GateMetrics quiet() {
        return metrics(BreakerState.CLOSED, 0, 0, 0);
    }

    @Test
    void aBackendThatDoesNotAnswerAtStartUpIsLoggedAsAWarningNamingIt() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            new GateHealth(REFUSED, List.of(OK), Runnable::run, Duration.ofSeconds(5), Duration.ofSeconds(60), clock)
                    .probeAtStartup();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains("Quota cache does not answer at start-up")
                .contains("connection refused").doesNotContain("Quota stores");
    }

    @Test
    void allAnsweringIsUp() {
        Health h = health(OK, OK).assess(quiet(), NO_LAG);
        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.cache()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
        assertThat(h.stores()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
        assertThat(h.checkedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aCacheThatRefusesDegradesWithTheCauseAsDetail() {
        Health h = health(REFUSED, OK).assess(quiet(), NO_LAG);
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.cache().status()).isEqualTo(Status.DOWN);
        assertThat(h.cache().detail()).contains("connection refused");
    }

    @Test
    void aStoreThatRefusesIsDownEvenWhenAnotherAnswers() {
        Health h = health(OK, OK, REFUSED).assess(quiet(), NO_LAG);
        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.stores().detail()).contains("connection refused");
    }

    @Test
    void aPingThatHangsIsDownAfterTheTimeoutWithoutHangingTheCaller() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Pingable hangs = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        GateHealth g = new GateHealth(hangs, List.of(OK), executor, Duration.ofMillis(50), Duration.ofSeconds(60), clock);
        Health h = g.assess(quiet(), NO_LAG);
        assertThat(h.cache()).isEqualTo(new Health.Component(Status.DOWN, true, "no answer within 50 ms"));
        never.countDown();
    }

    @Test
    void theSameStoreIsPingedOnce() {
        List<String> pings = new ArrayList<>();
        Pingable counted = () -> {
            synchronized (pings) {
                pings.add("ping");
            }
        };
        health(OK, counted, counted).assess(quiet(), NO_LAG);
        assertThat(pings).hasSize(1);
    }

    @Test
    void portsThatCannotPingAreUpAndNotProbed() {
        Health h = health(new Object(), new Object()).assess(quiet(), NO_LAG);
        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.cache().probed()).isFalse();
        assertThat(h.stores()).isEqualTo(new Health.Component(Status.UP, false, "not probed: the stores cannot ping"));
        assertThat(health(null).assess(quiet(), NO_LAG).cache())
                .isEqualTo(new Health.Component(Status.UP, false, "not configured"));
    }

    @Test
    void theBreakerOpenIsDownAndHalfOpenDegraded() {
        assertThat(health(OK, OK).assess(metrics(BreakerState.OPEN, 0, 0, 0), NO_LAG).status()).isEqualTo(Status.DOWN);
        assertThat(health(OK, OK).assess(metrics(BreakerState.HALF_OPEN, 0, 0, 0), NO_LAG).status())
                .isEqualTo(Status.DEGRADED);
    }

    @Test
    void lagDegradesOnlyBeyondTheLimit() {
        GateHealth g = health(OK, OK);
        Health atLimit = g.assess(quiet(), new UnsettledUsage.Lag(3, Duration.ofSeconds(60)));
        assertThat(atLimit.status()).isEqualTo(Status.UP);
        assertThat(atLimit.usagePipeline().unsettledEvents()).isEqualTo(3);
        Health beyond = g.assess(quiet(), new UnsettledUsage.Lag(3, Duration.ofMillis(60_001)));
        assertThat(beyond.usagePipeline().status()).isEqualTo(Status.DEGRADED);
        assertThat(beyond.status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void owedEvictionsDegradeButDeadLettersAndDropsAreOnlyReported() {
        GateHealth g = health(OK, OK);
        assertThat(g.assess(metrics(BreakerState.CLOSED, 0, 0, 2), NO_LAG).status()).isEqualTo(Status.DEGRADED);
        Health h = g.assess(metrics(BreakerState.CLOSED, 4, 9, 0), NO_LAG);
        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.usagePipeline().deadLetters()).isEqualTo(4);
        assertThat(h.usagePipeline().droppedCacheWrites()).isEqualTo(9);
    }
}
