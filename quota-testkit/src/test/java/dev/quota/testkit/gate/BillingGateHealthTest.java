package dev.quota.testkit.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.Health;
import dev.quota.core.Health.Status;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.Faults;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link BillingGate#health()} on the testkit: pings through the fakes' faults, breaker and usage-pipeline lag. */
class BillingGateHealthTest extends GateTest {

    private static final long USER = 7;

    private BillingGate gate;

    @Override
    InMemoryQuota stack() {
        InMemoryQuota quota = InMemoryQuota.create(MutableClock.startingAt("2026-11-27T10:00:00Z"));
        quota.balances().set(USER, Money.parse("5"));
        return quota;
    }

    @Test
    void everythingAnsweringIsUpWithEachBackendProbed() {
        gate = open(q.gateBuilder());

        Health h = gate.health();

        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.cache()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
        assertThat(h.stores()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
        assertThat(h.breaker()).isEqualTo(BreakerState.CLOSED);
        assertThat(h.usagePipeline().unsettledEvents()).isZero();
        assertThat(h.checkedAt()).isEqualTo(q.clock().instant());
    }

    @Test
    void aCacheThatDoesNotAnswerDegradesTheGateAndIsNamed() {
        Health h = healthWhileFailing(q.cacheFaults());

        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.cache().status()).isEqualTo(Status.DOWN);
        assertThat(h.cache().detail()).contains("BillingCache is down");
        assertThat(h.stores().up()).isTrue();
        assertThat(gate.check(CheckRequest.builder(USER).build()).allowed()).as("checks run on the stores").isTrue();
    }

    @Test
    void storesThatDoNotAnswerTakeTheGateDown() {
        Health h = healthWhileFailing(q.storeFaults());

        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.stores().status()).isEqualTo(Status.DOWN);
        assertThat(h.cache().up()).isTrue();
    }

    @Test
    void anOpenBreakerTakesTheGateDownAndAHealedOneBringsItBack() {
        gate = open(q.gateBuilder().circuitBreaker(1, Duration.ofSeconds(30), 1));
        q.storeFaults().failNext(1); // one failed load (the ping consumes no injected failure)
        assertThat(gate.check(CheckRequest.builder(USER).build()).reason()).isEqualTo(DenyReason.BILLING_SERVICE_ERROR);

        assertThat(gate.health().status()).isEqualTo(Status.DOWN);
        assertThat(gate.health().breaker()).isEqualTo(BreakerState.OPEN);
        assertThat(gate.health().stores().up()).as("the stores answer again; the breaker still protects them").isTrue();

        q.clock().advance(Duration.ofSeconds(30));
        assertThat(gate.check(CheckRequest.builder(USER).build()).allowed()).isTrue();
        assertThat(gate.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void usageTheSinkHasNotStoredIsTheLagAndDegradesOnlyOnceOlderThanDrainIdle() {
        HeldSink sink = new HeldSink(q.usageSink());
        gate = open(q.gateBuilder().usageSink(sink).drainIdle(Duration.ofSeconds(60)));
        gate.record(usage("a"));
        q.clock().advance(Duration.ofSeconds(20));
        gate.record(usage("b"));

        Health.UsagePipeline p = gate.health().usagePipeline();
        assertThat(p.unsettledEvents()).isEqualTo(2);
        assertThat(p.oldestUnsettledAge()).isEqualTo(Duration.ofSeconds(20));
        assertThat(gate.health().status()).isEqualTo(Status.UP);

        q.clock().advance(Duration.ofSeconds(41));
        assertThat(gate.health().usagePipeline().status()).isEqualTo(Status.DEGRADED);
        assertThat(gate.health().status()).isEqualTo(Status.DEGRADED);

        sink.catchUp();
        Health after = gate.health();
        assertThat(after.usagePipeline().unsettledEvents()).isZero();
        assertThat(after.usagePipeline().oldestUnsettledAge()).isEqualTo(Duration.ZERO);
        assertThat(after.status()).isEqualTo(Status.UP);
    }

    @Test
    void aGateWithoutACacheReportsItAsNotConfigured() {
        try (BillingGate noCache = BillingGate.builder().balances(q.balances()).subscriptions(q.subscriptions())
                .usageSink(q.usageSink()).clock(q.clock()).zone(q.zone()).build()) {
            Health h = noCache.health();
            assertThat(h.cache()).isEqualTo(new Health.Component(Status.UP, false, "not configured"));
            assertThat(h.status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void healthAfterCloseIsMisuse() {
        BillingGate closed = q.gateBuilder().build();
        closed.close();
        assertThatThrownBy(closed::health).isInstanceOf(IllegalStateException.class);
    }

    private UsageEvent usage(String id) {
        return UsageEvent.builder(id, USER).totalCost(Money.parse("0.1")).occurredAt(q.clock().instant()).build();
    }

    /** Opens a plain gate, makes {@code faults} fail every call, and takes the gate's health. */
    private Health healthWhileFailing(Faults faults) {
        gate = open(q.gateBuilder());
        faults.failAlways();
        return gate.health();
    }
}
