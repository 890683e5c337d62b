package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformQuotaEntryTest {

    private static final PlatformQuotaRecord RECORD = new PlatformQuotaRecord(42, "anthropic",
            new PeriodLimits(Limit.of(5_000_000_000L), Limit.disabled(), Limit.unlimited()),
            new WindowUsage(1_000_000_000L, Instant.parse("2026-11-17T16:00:00Z")),
            new WindowUsage(3_000_000_000L, Instant.parse("2026-11-15T16:00:00Z")),
            WindowUsage.EMPTY);

    private static Map<String, String> encoded() {
        return new HashMap<>(PlatformQuotaEntry.encode(RECORD));
    }

    @Test
    void round_trips_usage_starts_and_limits_in_all_three_states() {
        assertThat(PlatformQuotaEntry.decode(42, "anthropic", PlatformQuotaEntry.encode(RECORD))).contains(RECORD);
    }

    @Test
    void stores_an_unset_limit_as_an_empty_string_and_a_disabled_one_as_zero() {
        assertThat(PlatformQuotaEntry.encode(RECORD))
                .containsEntry(PlatformQuotaEntry.DAILY_LIMIT, "5000000000")
                .containsEntry(PlatformQuotaEntry.WEEKLY_LIMIT, "0")
                .containsEntry(PlatformQuotaEntry.MONTHLY_LIMIT, "")
                .containsEntry("sv", "1");
    }

    @Test
    void refuses_to_encode_a_record_without_effective_limits() {
        assertThatThrownBy(() -> PlatformQuotaEntry.encode(PlatformQuotaRecord.empty(42, "anthropic")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_absent_entry_is_a_miss() {
        assertThat(PlatformQuotaEntry.decode(42, "anthropic", Map.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2"})
    void a_foreign_schema_version_is_a_miss(String version) {
        Map<String, String> h = encoded();
        h.put("sv", version);

        assertThat(PlatformQuotaEntry.decode(42, "anthropic", h)).isEmpty();
    }

    @Test
    void an_entry_without_schema_version_is_a_miss() {
        Map<String, String> h = encoded();
        h.remove("sv");

        assertThat(PlatformQuotaEntry.decode(42, "anthropic", h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {PlatformQuotaEntry.DAILY_USAGE, PlatformQuotaEntry.WEEKLY_USAGE,
        PlatformQuotaEntry.MONTHLY_USAGE, PlatformQuotaEntry.DAILY_LIMIT, PlatformQuotaEntry.WEEKLY_LIMIT,
        PlatformQuotaEntry.MONTHLY_LIMIT})
    void a_negative_usage_or_limit_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.put(field, "-1");

        assertThat(PlatformQuotaEntry.decode(42, "anthropic", h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {PlatformQuotaEntry.DAILY_USAGE, PlatformQuotaEntry.DAILY_START,
        PlatformQuotaEntry.WEEKLY_LIMIT, PlatformQuotaEntry.MONTHLY_START})
    void a_non_numeric_field_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.put(field, "five");

        assertThat(PlatformQuotaEntry.decode(42, "anthropic", h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {PlatformQuotaEntry.DAILY_LIMIT, PlatformQuotaEntry.MONTHLY_START})
    void a_missing_field_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.remove(field);

        assertThat(PlatformQuotaEntry.decode(42, "anthropic", h)).isEmpty();
    }
}
