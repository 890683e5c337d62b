package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.KEY;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.Reservation;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets an IllegalArgumentException naming the field, and changes nothing. */
class BillingGateInputTest extends GateTest {

    private BillingGate gate;

    @BeforeEach
    void setUp() {
        gate = closeAfter(GateFixture.gate(q));
    }

    private void assertNothingChanged() {
        gate.flush();
        assertThat(q.balances().find(USER)).contains(usd("5"));
        assertThat(q.usageLog().totals(UsageFilter.all()).requests()).isZero();
        assertThat(q.cache().holds(USER)).isEmpty();
    }

    @Test
    void aGateAndAUsageSinkInDifferentZonesAreRefusedAtBuild() {
        BatchingUsageWriter utcWriter = BatchingUsageWriter.builder(q.ledger(), q.clock(), java.time.ZoneOffset.UTC).build();
        try {
            assertThatIllegalStateException().isThrownBy(() -> q.gateBuilder().usageSink(utcWriter).build())
                    .withMessageContaining("Z").withMessageContaining("Asia/Shanghai");
            BillingGate sameZone = q.gateBuilder().usageSink(utcWriter).zone(java.time.ZoneOffset.UTC).build();
            sameZone.close();
        } finally {
            utcWriter.close();
        }
    }

    @Test
    void aNullRequestIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> gate.check(null)).withMessageContaining("request");
        assertThatIllegalArgumentException().isThrownBy(() -> gate.reserve(null, usd("1")))
                .withMessageContaining("request");
        assertNothingChanged();
    }

    @Test
    void aNullEventIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> gate.record(null)).withMessageContaining("event");
        assertNothingChanged();
    }

    @Test
    void anUnknownPlatformIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> gate.check(request().platform("nope").build()))
                .withMessageContaining("platform 'nope'");
        assertThatIllegalArgumentException().isThrownBy(() -> gate.record(usage(q, "1").platform("nope").build()))
                .withMessageContaining("platform 'nope'");
        assertNothingChanged();
    }

    @Test
    void anAbsurdCostIsRejected() {
        UsageEvent absurd = usage(q, "10000.000000001").build();
        assertThatIllegalArgumentException().isThrownBy(() -> gate.record(absurd)).withMessageContaining("maxCharge");
        assertThatIllegalArgumentException().isThrownBy(() -> gate.reserve(request().build(), usd("20000")))
                .withMessageContaining("estimate");
        assertNothingChanged();
    }

    @Test
    void aNegativeCostIsRejectedWhenTheEventIsBuilt() {
        assertThatIllegalArgumentException().isThrownBy(() -> usage(q, "-1").build()).withMessageContaining("totalCost");
        assertThatIllegalArgumentException().isThrownBy(() -> gate.reserve(request().build(), usd("-1")))
                .withMessageContaining("estimate");
        assertNothingChanged();
    }

    @Test
    void blankAndNonPositiveIdsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder(" ", USER)
                .occurredAt(q.clock().instant()).build()).withMessageContaining("requestId");
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r", 0)
                .occurredAt(q.clock().instant()).build()).withMessageContaining("userId");
        assertThatIllegalArgumentException().isThrownBy(() -> CheckRequest.builder(-1)).withMessageContaining("userId");
        assertThatIllegalArgumentException().isThrownBy(() -> request().apiKey(0, null)).withMessageContaining("apiKeyId");
        assertNothingChanged();
    }

    @Test
    void settlingSomeoneElsesReservationIsRejected() {
        Reservation r = gate.reserve(request().build(), usd("1"));
        assertThat(r.held()).isTrue();
        UsageEvent other = UsageEvent.builder("x-1", USER + 1).totalCost(usd("1")).occurredAt(q.clock().instant()).build();
        assertThatIllegalArgumentException().isThrownBy(() -> gate.settle(r, other)).withMessageContaining("userId");
        gate.release(r);
        assertNothingChanged();
    }

    @Test
    void settlingADeniedReservationIsRejected() {
        q.balances().set(USER, Money.ZERO);
        Reservation r = gate.reserve(request().build(), usd("1"));
        assertThat(r.allowed()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> gate.settle(r, usage(q, "1").build()))
                .withMessageContaining("denied");
    }

    @Test
    void builderRejectsBadSettingsEagerly() {
        assertThatIllegalArgumentException().isThrownBy(() -> BillingGate.builder().cacheWritePool(0, 10, Duration.ofSeconds(1)))
                .withMessageContaining("workers");
        assertThatIllegalArgumentException().isThrownBy(() -> BillingGate.builder().loadTimeout(Duration.ZERO))
                .withMessageContaining("loadTimeout");
        assertThatIllegalArgumentException().isThrownBy(() -> BillingGate.builder().maxCharge(Money.ZERO))
                .withMessageContaining("maxCharge");
        assertThatIllegalStateException().isThrownBy(() -> BillingGate.builder().build())
                .withMessageContaining("required");
    }

    @Test
    void aClosedGateRefusesToRecord() {
        gate.close();
        assertThatIllegalStateException().isThrownBy(() -> gate.record(usage(q, "1").apiKeyId(KEY).build()))
                .withMessageContaining("closed");
    }
}
