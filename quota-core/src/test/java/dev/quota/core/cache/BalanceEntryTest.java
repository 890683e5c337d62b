package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BalanceEntryTest {

    private static final Money ONE = Money.ofUnits(1);

    private static Map<String, String> encoded(Money m) {
        return new HashMap<>(BalanceEntry.encode(m));
    }

    @Test
    void round_trips_a_balance_above_two_to_the_53_nanos() {
        Money balance = Money.ofNanos((1L << 53) + 1);

        assertThat(BalanceEntry.decode(BalanceEntry.encode(balance))).contains(balance);
    }

    @Test
    void round_trips_a_negative_balance() {
        Money overdrawn = Money.parse("-0.25");

        assertThat(BalanceEntry.decode(BalanceEntry.encode(overdrawn))).contains(overdrawn);
    }

    @Test
    void stores_nanos_as_an_integer_string_with_the_schema_version() {
        assertThat(BalanceEntry.encode(Money.parse("1.5")))
                .containsEntry("sv", "1")
                .containsEntry(BalanceEntry.BALANCE, "1500000000");
    }

    @Test
    void an_absent_entry_is_a_miss() {
        assertThat(BalanceEntry.decode(Map.of())).isEmpty();
        assertThat(BalanceEntry.decode(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "", "01", "v1"})
    void a_foreign_schema_version_is_a_miss(String version) {
        Map<String, String> h = encoded(ONE);
        h.put("sv", version);

        assertThat(BalanceEntry.decode(h)).isEmpty();
    }

    @Test
    void an_entry_without_schema_version_is_a_miss() {
        Map<String, String> h = encoded(ONE);
        h.remove("sv");

        assertThat(BalanceEntry.decode(h)).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "1.5", "1e3", "9223372036854775808"})
    void a_corrupt_balance_is_a_miss(String value) {
        Map<String, String> h = encoded(ONE);
        h.put(BalanceEntry.BALANCE, value);

        assertThat(BalanceEntry.decode(h)).isEmpty();
    }
}
