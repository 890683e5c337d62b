package dev.quota.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.limit.RpmPlan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whether a check counts its RPM counters, by what the cache read for it: the one rule of every cache. */
class CacheCheckTest {

    private static final Instant NOW = Instant.parse("2026-03-10T09:15:30.123Z");
    private static final CacheCheck CHECK = new CacheCheck(CheckRequest.builder(7).build(), RpmPlan.NONE, NOW,
            ZoneId.of("UTC"));

    private static CheckView balance(Money balance) {
        return new CheckView(balance, null, null, null, Set.of(), false, 0, 0);
    }

    @Test
    void aFundedBalanceIsNotDoomed() {
        assertThat(CHECK.doomedBy(balance(Money.parse("0.01")))).isFalse();
    }

    @Test
    void anEmptyBalanceDooms() {
        assertThat(CHECK.doomedBy(balance(Money.parse("0")))).isTrue();
    }

    @Test
    void aMissingEntryDooms() {
        assertThat(CHECK.doomedBy(new CheckView(null, null, null, null, Set.of(CacheEntryKind.BALANCE), false, 0, 0)))
                .isTrue();
    }
}
