package dev.quota.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountUsageServiceBuilderTest {

    @Test
    void nullPartsAreRejectedAtOnce() {
        AccountUsageService.Builder b = AccountUsageService.builder();
        assertThatThrownBy(() -> b.fetcher(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetcher");
        assertThatThrownBy(() -> b.usageLog(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usageLog");
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> b.zone(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    }

    @Test
    void ttlsMustBePositiveAndAtMostADay() {
        AccountUsageService.Builder b = AccountUsageService.builder();
        assertThatThrownBy(() -> b.upstreamTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.upstreamTtl(Duration.ofDays(1).plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.statisticsTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.statisticsTtl(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.fetchWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.upstreamTtl(Duration.ofDays(1)).statisticsTtl(Duration.ofSeconds(1))).isSameAs(b);
    }

    @Test
    void theCacheBoundMustBeInRange() {
        AccountUsageService.Builder b = AccountUsageService.builder();
        assertThatThrownBy(() -> b.maxCachedAccounts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxCachedAccounts(1_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildingWithoutTheRequiredPartsFails() {
        assertThatThrownBy(() -> AccountUsageService.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fetcher, usageLog, clock and zone are required");
    }

    @Test
    void setupTokenStatusesMapToTheirEstimates() {
        assertThat(SessionStatus.fromText("rejected").estimatedUtilizationPercent()).isEqualTo(100.0);
        assertThat(SessionStatus.fromText("ALLOWED_WARNING").estimatedUtilizationPercent()).isEqualTo(80.0);
        assertThat(SessionStatus.fromText("allowed").estimatedUtilizationPercent()).isEqualTo(0.0);
        assertThat(SessionStatus.fromText("something new")).isEqualTo(SessionStatus.UNKNOWN);
        assertThat(SessionStatus.fromText(null).estimatedUtilizationPercent()).isEqualTo(0.0);
    }

    @Test
    void aSessionWindowEndingBeforeItStartsIsRejected() {
        assertThatThrownBy(() -> new SessionWindow(Instant.parse("2025-03-10T10:00:00Z"),
                Instant.parse("2025-03-10T09:00:00Z"), SessionStatus.ALLOWED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpstreamAccount(1, null, SessionWindow.NONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
