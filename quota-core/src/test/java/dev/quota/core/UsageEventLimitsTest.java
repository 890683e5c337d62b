package dev.quota.core;

import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Bounds that keep every store able to hold an event. */
class UsageEventLimitsTest {

    private static final Instant AT = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void anErrorMessageLongerThan4096CharactersIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r", 1).occurredAt(AT)
                .errorMessage("x".repeat(4097)).build()).withMessageContaining("errorMessage");
        assertThat(UsageEvent.builder("r", 1).occurredAt(AT).errorMessage("x".repeat(4096)).build().outcome().errorMessage())
                .hasSize(4096);
    }

    @Test
    void dailyStatsOfANonPositiveUserAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DailyStats(LocalDate.of(2026, 11, 22), 0L,
                UsageTotals.ZERO)).withMessageContaining("userId");
    }
}
