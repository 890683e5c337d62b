package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codecs accept exactly the integers Redis writes, so the in-memory cache and Redis agree on misses. */
class CanonicalNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"+5", "007", "-0", "٣", "1e9", "12.5", " 5", "5 ", "-", "99999999999999999999"})
    void aNonCanonicalAmountIsAMiss(String amount) {
        assertThat(BalanceEntry.decode(Map.of("sv", "1", BalanceEntry.BALANCE, amount))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5", "-5", "9223372036854775807", "-9223372036854775808"})
    void aCanonicalAmountIsAHit(String amount) {
        assertThat(BalanceEntry.decode(Map.of("sv", "1", BalanceEntry.BALANCE, amount)))
                .contains(Money.ofNanos(Long.parseLong(amount)));
    }
}
