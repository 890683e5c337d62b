package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageSink;
import java.lang.reflect.Proxy;
import dev.quota.core.spi.UsageLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The builder hands the gate a snapshot with named accessors; its defaults are the documented ones. */
class GateConfigTest {

    @SuppressWarnings("unchecked")
    private static <T> T unused(Class<T> port) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, m, a) -> {
            throw new UnsupportedOperationException("not called by the builder: " + m.getName());
        });
    }

    @Test
    void everySettingArrivesUnderItsOwnNameAndLaterBuilderChangesDoNot() {
        BillingGate.Builder b = BillingGate.builder().cacheWritePool(3, 40, Duration.ofMillis(500))
                .circuitBreaker(7, Duration.ofSeconds(11), 2).loadTimeout(Duration.ofSeconds(4))
                .holdTimeout(Duration.ofMinutes(9)).maxCharge(Money.ofUnits(12)).zone(ZoneId.of("Asia/Shanghai"))
                .platforms("anthropic").failurePolicy(CheckKind.RPM, FailurePolicy.FAIL_CLOSED)
                .drainIdle(Duration.ofSeconds(90)).drainInterval(Duration.ofSeconds(15));
        GateConfig c = TestGateConfigs.of(b);
        b.platforms("openai").loadTimeout(Duration.ofSeconds(1)).failurePolicy(CheckKind.RPM, FailurePolicy.FAIL_OPEN);
        assertThat(c.cacheWriteWorkers()).isEqualTo(3);
        assertThat(c.cacheWriteQueue()).isEqualTo(40);
        assertThat(c.cacheWriteTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.breakerFailureThreshold()).isEqualTo(7);
        assertThat(c.breakerResetTimeout()).isEqualTo(Duration.ofSeconds(11));
        assertThat(c.breakerHalfOpenRequests()).isEqualTo(2);
        assertThat(c.loadTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.holdTimeout()).isEqualTo(Duration.ofMinutes(9));
        assertThat(c.maxCharge()).isEqualTo(Money.ofUnits(12));
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.platforms()).containsExactly("anthropic");
        assertThat(c.policies()).containsEntry(CheckKind.RPM, FailurePolicy.FAIL_CLOSED);
        assertThat(c.drainIdle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.drainInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> c.platforms().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        GateConfig c = TestGateConfigs.of(BillingGate.builder());
        assertThat(c.cacheWriteWorkers()).isEqualTo(10);
        assertThat(c.cacheWriteQueue()).isEqualTo(1000);
        assertThat(c.cacheWriteTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.dropLogInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.loadTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.breakerFailureThreshold()).isEqualTo(5);
        assertThat(c.breakerResetTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.breakerHalfOpenRequests()).isEqualTo(1);
        assertThat(c.holdTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxCharge()).isEqualTo(Money.ofUnits(10_000));
        assertThat(c.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.platforms()).isEmpty();
        assertThat(c.policies()).containsEntry(CheckKind.BALANCE, FailurePolicy.FAIL_CLOSED)
                .containsEntry(CheckKind.SUBSCRIPTION, FailurePolicy.FAIL_CLOSED)
                .containsEntry(CheckKind.PLATFORM_QUOTA, FailurePolicy.FAIL_OPEN)
                .containsEntry(CheckKind.API_KEY, FailurePolicy.FAIL_OPEN)
                .containsEntry(CheckKind.RPM, FailurePolicy.FAIL_OPEN);
        assertThat(c.cache()).isNull();
        assertThat(c.outbox()).isNull();
        assertThat(c.simpleMode()).isFalse();
        assertThat(c.asyncUsageWrites()).isFalse();
        assertThat(c.drainInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.drainIdle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.platformDefaultsRefresh()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void buildRefusesMissingStoresBeforeStartingAnything() {
        assertThatThrownBy(() -> BillingGate.builder().balances(unused(BalanceStore.class))
                .subscriptions(unused(SubscriptionStore.class)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("usageSink");
        assertThatThrownBy(() -> BillingGate.builder().usageSink(unused(UsageSink.class)).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aGateWithoutClockOrZoneTakesBothFromItsUsageSink() {
        Clock sqlClock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        UsageSink sink = UsageSinks.direct(unused(UsageLedger.class), sqlClock, shanghai);
        GateConfig c = TestGateConfigs.of(BillingGate.builder().usageSink(sink));
        assertThat(c.time()).isEqualTo(new QuotaTime(sqlClock, shanghai));
    }

    @Test
    void aClockSetOnTheGateIsKeptAndTheZoneStillComesFromTheSink() {
        Clock sqlClock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        Clock gateClock = Clock.offset(sqlClock, Duration.ofSeconds(1));
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        UsageSink sink = UsageSinks.direct(unused(UsageLedger.class), sqlClock, shanghai);
        GateConfig c = TestGateConfigs.of(BillingGate.builder().usageSink(sink).clock(gateClock));
        assertThat(c.time()).isEqualTo(new QuotaTime(gateClock, shanghai));
    }

    @Test
    void aZoneSetOnTheGateThatDiffersFromTheSinksIsRefused() {
        UsageSink sink = UsageSinks.direct(unused(UsageLedger.class), Clock.systemUTC(), ZoneId.of("Asia/Shanghai"));
        assertThatThrownBy(() -> TestGateConfigs.of(BillingGate.builder().usageSink(sink).zone(ZoneOffset.UTC)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the usage sink rolls windows in Asia/Shanghai but the gate in Z");
        assertThatThrownBy(() -> TestGateConfigs.of(BillingGate.builder().usageSink(sink).time(QuotaTime.UTC)))
                .isInstanceOf(IllegalStateException.class);
    }
}
