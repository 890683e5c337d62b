package dev.quota.core.limit;

import dev.quota.core.Limit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import org.junit.jupiter.api.Test;

class PlatformQuotaDefaultsTest {

    private static final PeriodLimits SYSTEM_ANTHROPIC = limits(10);
    private static final PeriodLimits SYSTEM_OPENAI = limits(20);
    private static final PeriodLimits GITHUB_OPENAI = limits(3);

    private static PeriodLimits limits(long dailyUsd) {
        return new PeriodLimits(Limit.of(Money.ofUnits(dailyUsd)), Limit.unlimited(), Limit.unlimited());
    }

    private static final PlatformQuotaDefaults DEFAULTS = PlatformQuotaDefaults.builder()
            .system("anthropic", SYSTEM_ANTHROPIC)
            .system("openai", SYSTEM_OPENAI)
            .source("github", "openai", GITHUB_OPENAI)
            .sourceWithoutLimits("oidc")
            .build();

    @Test
    void a_user_without_auth_source_gets_the_system_default() {
        assertThat(DEFAULTS.resolve(null, "anthropic")).isEqualTo(SYSTEM_ANTHROPIC);
    }

    @Test
    void an_unknown_auth_source_gets_the_system_default() {
        assertThat(DEFAULTS.resolve("email", "openai")).isEqualTo(SYSTEM_OPENAI);
    }

    @Test
    void a_configured_source_uses_its_own_limits() {
        assertThat(DEFAULTS.resolve("github", "openai")).isEqualTo(GITHUB_OPENAI);
    }

    @Test
    void a_configured_source_replaces_the_system_default_as_a_whole() {
        assertThat(DEFAULTS.resolve("github", "anthropic")).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void a_source_declared_without_limits_is_unlimited_everywhere() {
        assertThat(DEFAULTS.resolve("oidc", "anthropic")).isEqualTo(PeriodLimits.UNLIMITED);
        assertThat(DEFAULTS.resolve("oidc", "openai")).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void a_platform_missing_from_the_system_default_is_unlimited() {
        assertThat(DEFAULTS.resolve(null, "gemini")).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void no_defaults_means_unlimited() {
        assertThat(PlatformQuotaDefaults.NONE.resolve("github", "openai")).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void is_immutable_once_built() {
        assertThatThrownBy(() -> DEFAULTS.system().put("x", PeriodLimits.UNLIMITED))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> DEFAULTS.bySource().get("github").put("x", PeriodLimits.UNLIMITED))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equal_configurations_are_equal() {
        PlatformQuotaDefaults same = PlatformQuotaDefaults.builder()
                .sourceWithoutLimits("oidc")
                .source("github", "openai", GITHUB_OPENAI)
                .system("openai", SYSTEM_OPENAI)
                .system("anthropic", SYSTEM_ANTHROPIC)
                .build();

        assertThat(same).isEqualTo(DEFAULTS).hasSameHashCodeAs(DEFAULTS);
    }

    @Test
    void rejects_blank_names_and_null_limits() {
        PlatformQuotaDefaults.Builder b = PlatformQuotaDefaults.builder();

        assertThatThrownBy(() -> b.system(" ", SYSTEM_OPENAI)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform");
        assertThatThrownBy(() -> b.source("", "openai", SYSTEM_OPENAI)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authSource");
        assertThatThrownBy(() -> b.sourceWithoutLimits(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authSource");
        assertThatThrownBy(() -> b.system("openai", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("limits");
    }
}
