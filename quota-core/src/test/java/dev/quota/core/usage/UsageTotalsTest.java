package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTotalsTest {

    private static final Instant AT = Instant.parse("2026-11-18T10:15:30Z");

    private static UsageEvent event(String id, int status, String cost, long responseMs) {
        return UsageEvent.builder(id, 42).occurredAt(AT).httpStatus(status).tokens(10, 20, 3, 4)
                .totalCost(Money.parse(cost)).actualCost(Money.parse(cost))
                .costParts(Money.parse(cost), Money.ZERO, Money.ZERO, Money.ZERO)
                .responseTimeMs(responseMs).build();
    }

    @Test
    void counts_successes_and_errors() {
        UsageTotals t = UsageTotals.of(List.of(event("a", 200, "0", 1), event("b", 500, "0", 1),
                event("c", 429, "0", 1)));

        assertThat(t.requests()).isEqualTo(3);
        assertThat(t.successRequests()).isEqualTo(1);
        assertThat(t.errorRequests()).isEqualTo(2);
    }

    @Test
    void sums_one_thousand_tenths_to_exactly_one_hundred() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            events.add(event("r" + i, 200, "0.1", 1));
        }

        UsageTotals t = UsageTotals.of(events);

        assertThat(t.actualCost()).isEqualTo(Money.ofUnits(100));
        assertThat(t.inputCost()).isEqualTo(Money.ofUnits(100));
    }

    @Test
    void sums_tokens_per_kind() {
        UsageTotals t = UsageTotals.of(List.of(event("a", 200, "0", 1), event("b", 200, "0", 1)));

        assertThat(t.inputTokens()).isEqualTo(20);
        assertThat(t.outputTokens()).isEqualTo(40);
        assertThat(t.cacheCreationTokens()).isEqualTo(6);
        assertThat(t.cacheReadTokens()).isEqualTo(8);
        assertThat(t.totalTokens()).isEqualTo(74);
    }

    @Test
    void averages_the_response_time() {
        UsageTotals t = UsageTotals.of(List.of(event("a", 200, "0", 100), event("b", 200, "0", 300)));

        assertThat(t.averageResponseTimeMs()).isEqualTo(200.0);
    }

    @Test
    void the_average_of_nothing_is_zero() {
        assertThat(UsageTotals.ZERO.averageResponseTimeMs()).isZero();
        assertThat(UsageTotals.of(List.of())).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void plus_throws_on_overflow() {
        UsageTotals huge = new UsageTotals(Long.MAX_VALUE, 0, 0, 0, 0, 0, 0,
                Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, 0);

        assertThatThrownBy(() -> huge.plus(UsageTotals.of(event("a", 200, "0", 1))))
                .isInstanceOf(ArithmeticException.class);
    }
}
