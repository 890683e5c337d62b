package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** One clock and business zone: set once on the gate, checked against the parts that take a zone of their own. */
class QuotaTimeTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-18T02:00:00.123456Z"), ZoneOffset.UTC);

    @Test
    void nowIsTheClocksInstantAtMillisecondPrecision() {
        assertThat(new QuotaTime(FIXED, SHANGHAI).now()).isEqualTo(Instant.parse("2026-11-18T02:00:00.123Z"));
    }

    @Test
    void aDifferentZoneIsRefusedNamingBoth() {
        QuotaTime time = QuotaTime.systemIn(SHANGHAI);
        assertThatCode(() -> time.requireSameZone(SHANGHAI, "the usage sink")).doesNotThrowAnyException();
        assertThatThrownBy(() -> time.requireSameZone(ZoneId.of("UTC"), "the usage sink"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the usage sink rolls windows in UTC but the gate in Asia/Shanghai");
    }

    @Test
    void theGateBuilderTakesClockAndZoneAtOnceOrOneByOne() {
        GateConfig both = TestGateConfigs.of(BillingGate.builder().time(new QuotaTime(FIXED, SHANGHAI)));
        assertThat(both.time()).isEqualTo(new QuotaTime(FIXED, SHANGHAI));
        assertThat(both.clock()).isSameAs(FIXED);
        assertThat(both.zone()).isEqualTo(SHANGHAI);
        GateConfig oneByOne = TestGateConfigs.of(BillingGate.builder().zone(SHANGHAI).clock(FIXED));
        assertThat(oneByOne.time()).isEqualTo(both.time());
        assertThat(TestGateConfigs.of(BillingGate.builder()).time()).isEqualTo(QuotaTime.UTC);
        assertThat(QuotaTime.UTC.withZone(SHANGHAI).withClock(FIXED)).isEqualTo(both.time());
    }

    @Test
    void utcUnderAnyOfItsNamesIsOneZone() {
        assertThatCode(() -> QuotaTime.UTC.requireSameZone(java.time.ZoneOffset.UTC, "the usage sink"))
                .doesNotThrowAnyException();
        assertThatCode(() -> QuotaTime.systemIn(ZoneId.of("GMT")).requireSameZone(ZoneId.of("Z"), "the sink"))
                .doesNotThrowAnyException();
    }
}
