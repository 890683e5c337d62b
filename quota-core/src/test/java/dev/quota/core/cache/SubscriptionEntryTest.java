package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionEntryTest {

    private static final SubscriptionState SUB = new SubscriptionState(42, 7, SubscriptionStatus.ACTIVE,
            Instant.parse("2026-12-31T23:59:59.999Z"),
            new WindowUsage((1L << 53) + 1, Instant.parse("2026-11-18T08:00:00.123Z")),
            new WindowUsage(5_000_000_000L, Instant.parse("2026-11-16T00:00:00Z")),
            WindowUsage.EMPTY);

    private static Map<String, String> encoded() {
        return new HashMap<>(SubscriptionEntry.encode(SUB));
    }

    @Test
    void round_trips_status_expiry_usage_and_window_starts() {
        assertThat(SubscriptionEntry.decode(42, 7, SubscriptionEntry.encode(SUB))).contains(SUB);
    }

    @ParameterizedTest
    @EnumSource(SubscriptionStatus.class)
    void round_trips_every_status(SubscriptionStatus status) {
        SubscriptionState s = new SubscriptionState(42, 7, status, SUB.expiresAt(), SUB.daily(), SUB.weekly(),
                SUB.monthly());

        assertThat(SubscriptionEntry.decode(42, 7, SubscriptionEntry.encode(s))).contains(s);
    }

    @Test
    void stores_a_window_without_start_as_an_empty_string() {
        assertThat(SubscriptionEntry.encode(SUB)).containsEntry(SubscriptionEntry.MONTHLY_START, "")
                .containsEntry(SubscriptionEntry.MONTHLY_USAGE, "0")
                .containsEntry(SubscriptionEntry.EXPIRES_AT, Long.toString(SUB.expiresAt().toEpochMilli()))
                .containsEntry("sv", "1");
    }

    @Test
    void takes_user_and_group_from_the_key() {
        assertThat(SubscriptionEntry.decode(1, 2, SubscriptionEntry.encode(SUB)))
                .hasValueSatisfying(s -> {
                    assertThat(s.userId()).isEqualTo(1);
                    assertThat(s.groupId()).isEqualTo(2);
                });
    }

    @Test
    void an_absent_entry_is_a_miss() {
        assertThat(SubscriptionEntry.decode(42, 7, Map.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2"})
    void a_foreign_schema_version_is_a_miss(String version) {
        Map<String, String> h = encoded();
        h.put("sv", version);

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }

    @Test
    void an_entry_without_schema_version_is_a_miss() {
        Map<String, String> h = encoded();
        h.remove("sv");

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNKNOWN", "active", ""})
    void an_unknown_status_is_a_miss(String status) {
        Map<String, String> h = encoded();
        h.put(SubscriptionEntry.STATUS, status);

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }

    @Test
    void a_missing_status_is_a_miss() {
        Map<String, String> h = encoded();
        h.remove(SubscriptionEntry.STATUS);

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }

    /** A negative usage, or a field that is not a whole number, is a miss. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        SubscriptionEntry.DAILY_USAGE + ", -1", SubscriptionEntry.WEEKLY_USAGE + ", -1",
        SubscriptionEntry.MONTHLY_USAGE + ", -1",
        SubscriptionEntry.EXPIRES_AT + ", 12.5x", SubscriptionEntry.DAILY_USAGE + ", 12.5x",
        SubscriptionEntry.DAILY_START + ", 12.5x", SubscriptionEntry.WEEKLY_START + ", 12.5x",
        SubscriptionEntry.MONTHLY_START + ", 12.5x"})
    void a_negative_or_non_numeric_field_is_a_miss(String field, String value) {
        Map<String, String> h = encoded();
        h.put(field, value);

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {SubscriptionEntry.EXPIRES_AT, SubscriptionEntry.DAILY_USAGE,
        SubscriptionEntry.DAILY_START})
    void a_missing_field_is_a_miss(String field) {
        Map<String, String> h = encoded();
        h.remove(field);

        assertThat(SubscriptionEntry.decode(42, 7, h)).isEmpty();
    }
}
