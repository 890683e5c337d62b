package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.KeyUsage;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyUsageEntryTest {

    private static final KeyUsage USAGE = new KeyUsage(42, 99,
            new WindowUsage(1_500_000_000L, Instant.parse("2026-11-18T09:00:00.001Z")),
            new WindowUsage(Long.MAX_VALUE, Instant.parse("2026-11-18T00:00:00Z")),
            WindowUsage.EMPTY);

    private static Map<String, String> encoded() {
        return new HashMap<>(KeyUsageEntry.encode(USAGE));
    }

    @Test
    void round_trips_usage_and_window_starts() {
        assertThat(KeyUsageEntry.decode(42, 99, KeyUsageEntry.encode(USAGE))).contains(USAGE);
    }

    @Test
    void round_trips_an_empty_usage() {
        KeyUsage empty = KeyUsage.empty(42, 99);

        assertThat(KeyUsageEntry.decode(42, 99, KeyUsageEntry.encode(empty))).contains(empty);
    }

    @Test
    void an_absent_entry_is_a_miss() {
        assertThat(KeyUsageEntry.decode(42, 99, Map.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "3"})
    void a_foreign_schema_version_is_a_miss(String version) {
        Map<String, String> h = encoded();
        h.put("sv", version);

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }

    @Test
    void an_entry_without_schema_version_is_a_miss() {
        Map<String, String> h = encoded();
        h.remove("sv");

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {KeyUsageEntry.USAGE_5H, KeyUsageEntry.USAGE_1D, KeyUsageEntry.USAGE_7D})
    void a_negative_usage_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.put(field, "-5");

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {KeyUsageEntry.USAGE_5H, KeyUsageEntry.WINDOW_5H, KeyUsageEntry.USAGE_7D,
        KeyUsageEntry.WINDOW_7D})
    void a_non_numeric_field_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.put(field, "NaN");

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }

    @Test
    void an_empty_usage_field_is_a_miss() {
        Map<String, String> h = encoded();
        h.put(KeyUsageEntry.USAGE_1D, "");

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }

    @Test
    void a_missing_window_start_field_is_a_miss() {
        Map<String, String> h = encoded();
        h.remove(KeyUsageEntry.WINDOW_1D);

        assertThat(KeyUsageEntry.decode(42, 99, h)).isEmpty();
    }
}
