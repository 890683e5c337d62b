package dev.quota.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpstreamUsageTest {

    @Test
    void resetTimesParseWithAndWithoutFractionalSecondsAndWithOffsets() {
        assertThat(UpstreamUsage.parseResetTime("2025-03-10T13:00:00Z")).contains(Instant.parse("2025-03-10T13:00:00Z"));
        assertThat(UpstreamUsage.parseResetTime("2025-03-10T13:00:00.123456Z"))
                .contains(Instant.parse("2025-03-10T13:00:00.123456Z"));
        assertThat(UpstreamUsage.parseResetTime("2025-03-10T21:00:00+08:00")).contains(Instant.parse("2025-03-10T13:00:00Z"));
        assertThat(UpstreamUsage.parseResetTime("2025-03-10T21:00:00.5+08:00"))
                .contains(Instant.parse("2025-03-10T13:00:00.5Z"));
    }

    @Test
    void textThatIsNotRfc3339IsNoResetTime() {
        assertThat(UpstreamUsage.parseResetTime("2025-03-10 13:00")).isEmpty();
        assertThat(UpstreamUsage.parseResetTime("2025-03-10T13:00:00")).isEmpty(); // no offset
        assertThat(UpstreamUsage.parseResetTime("soon")).isEmpty();
        assertThat(UpstreamUsage.parseResetTime(null)).isEmpty();
    }

    @Test
    void anUnparsableResetKeepsTheUtilizationAndRemembersThatOneWasGiven() {
        UpstreamUsage w = UpstreamUsage.reported(UpstreamUsage.SEVEN_DAY, 40.0, "next tuesday");
        assertThat(w.utilizationPercent()).isEqualTo(40.0);
        assertThat(w.resetsAt()).isNull();
        assertThat(w.resetReported()).isTrue();
    }

    @Test
    void aMissingOrEmptyResetIsNotReported() {
        assertThat(UpstreamUsage.reported(UpstreamUsage.SEVEN_DAY, 1.0, null).resetReported()).isFalse();
        assertThat(UpstreamUsage.reported(UpstreamUsage.SEVEN_DAY, 1.0, "").resetReported()).isFalse();
        assertThat(new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 1.0, null).resetReported()).isFalse();
    }

    @Test
    void modelFamilyWindowsAreNamedAndRecognised() {
        assertThat(UpstreamUsage.sevenDayOf("sonnet")).isEqualTo("7d:sonnet");
        assertThat(new UpstreamUsage("7d:sonnet", 1.0, null).modelFamily()).contains("sonnet");
        assertThat(new UpstreamUsage("7d", 1.0, null).modelFamily()).isEmpty();
        assertThatThrownBy(() -> UpstreamUsage.sevenDayOf("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UpstreamUsage.sevenDayOf(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badValuesAreRejected() {
        assertThatThrownBy(() -> new UpstreamUsage("5h", -1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamUsage("5h", Double.NaN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamUsage("5h", Double.POSITIVE_INFINITY, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamUsage(" ", 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamUsage("5h", 1, Instant.EPOCH, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
