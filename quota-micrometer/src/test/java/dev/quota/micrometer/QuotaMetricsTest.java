package dev.quota.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link QuotaMetrics} on a {@link SimpleMeterRegistry} against the testkit's in-memory gate. */
class QuotaMetricsTest {

    private static final long RICH = 1;
    private static final long BROKE = 2;

    private InMemoryQuota q;
    private SimpleMeterRegistry registry;
    private QuotaMetrics metrics;
    private BillingGate gate;

    @BeforeEach
    void start() {
        q = InMemoryQuota.create(MutableClock.startingAt("2026-11-27T10:00:00Z"));
        q.balances().set(RICH, Money.parse("5"));
        registry = new SimpleMeterRegistry();
        metrics = QuotaMetrics.create(Tags.of("gate", "test")).healthMaxAge(Duration.ZERO);
        gate = q.gateBuilder().listener(metrics).circuitBreaker(1, Duration.ofSeconds(30), 1).build();
        metrics.monitor(gate).bindTo(registry);
    }

    @AfterEach
    void stop() {
        q.storeFaults().heal();
        gate.close();
    }

    @Test
    void decisionsAreCountedByOutcomeReasonAndStatus() {
        gate.check(CheckRequest.builder(RICH).build());
        gate.check(CheckRequest.builder(RICH).build());
        gate.check(CheckRequest.builder(BROKE).build());

        assertThat(registry.get("quota.decisions").tags("gate", "test", "outcome", "allowed", "reason", "none",
                "status", "200").counter().count()).isEqualTo(2);
        assertThat(registry.get("quota.decisions").tags("outcome", "denied", "reason", "INSUFFICIENT_BALANCE",
                "status", "403").counter().count()).isEqualTo(1);
    }

    @Test
    void cacheMissesThenHitsAreCountedPerKind() {
        gate.check(CheckRequest.builder(RICH).build());
        gate.flush(); // the refill
        gate.check(CheckRequest.builder(RICH).build());

        assertThat(registry.get("quota.cache.requests").tags("kind", "balance", "result", "miss").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("quota.cache.requests").tags("kind", "balance", "result", "hit").counter().count())
                .isEqualTo(1);
    }

    @Test
    void theBreakerGaugeFollowsTheGateAndFallbacksAreCounted() {
        assertThat(registry.get("quota.breaker.state").tags("state", "closed").gauge().value()).isEqualTo(1);
        q.storeFaults().failNext(1);
        gate.check(CheckRequest.builder(RICH).build());

        assertThat(registry.get("quota.breaker.state").tags("state", "open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("quota.breaker.state").tags("state", "closed").gauge().value()).isZero();
        assertThat(registry.get("quota.cache.requests").tags("kind", "balance", "result", "fallback").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("quota.health").gauge().value()).as("down while open").isEqualTo(2);
    }

    @Test
    void usagePipelineLagAndWriteCountersAreExported() {
        assertThat(registry.get("quota.usage.unsettled").gauge().value()).isZero();
        assertThat(registry.get("quota.usage.dead.letters").functionCounter().count()).isZero();
        assertThat(registry.get("quota.cache.writes").tags("result", "dropped").functionCounter().count()).isZero();
        assertThat(registry.get("quota.usage.recovered").counter().count()).isZero();
        assertThat(registry.get("quota.usage.unsettled.oldest").timeGauge().value(TimeUnit.SECONDS)).isZero();
        assertThat(registry.get("quota.health").gauge().value()).isZero();

        gate.record(UsageEvent.builder("r-1", RICH).totalCost(Money.parse("1")).occurredAt(q.clock().instant())
                .build());
        gate.flush();
        assertThat(registry.get("quota.usage.unsettled").gauge().value()).as("stored by the in-memory sink").isZero();
    }

    @Test
    void aNegativeHealthMaxAgeIsRejected() {
        assertThatThrownBy(() -> QuotaMetrics.create().healthMaxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
