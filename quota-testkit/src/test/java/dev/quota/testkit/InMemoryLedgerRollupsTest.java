package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The testkit's ledger keeps the hourly user × model roll-ups with the events it stores, as the SQL ledger does in
 * its transaction: exact without a rebuild, replays not counted, hours of the business zone.
 */
class InMemoryLedgerRollupsTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata"); // UTC+05:30: business hours start at :30 UTC

    private final InMemoryQuota quota = InMemoryQuota.create(MutableClock.startingAt("2026-11-18T02:00:00Z"), KOLKATA);

    @Test
    void storedEventsAreRolledUpPerBusinessHourUserAndModelWithoutARebuild() {
        Instant at = Instant.parse("2026-11-18T02:40:00Z");               // 08:10 in Kolkata: hour 07:30Z-08:30Z
        quota.ledger().store(List.of(
                event("r-1", 7, "sonnet", "0.25", at, 100, 20),
                event("r-2", 7, "sonnet", "0.50", at.plusSeconds(60 * 45), 10, 5),  // 08:55: same hour
                event("r-3", 7, "sonnet", "1", at.plusSeconds(60 * 55), 1, 1),      // 09:05: the next hour
                event("r-4", 8, "opus", "2", at, 3, 4),
                event("r-1", 7, "sonnet", "0.25", at, 100, 20)),                    // replay in the batch
                at, KOLKATA);
        quota.ledger().store(List.of(event("r-2", 7, "sonnet", "0.50", at, 10, 5)), at, KOLKATA); // replay later

        Instant hour = Instant.parse("2026-11-18T02:30:00Z");
        assertThat(quota.rollups().find(null, hour, hour.plusSeconds(7200))).containsExactlyInAnyOrder(
                new HourlyUsage(hour, 7, "sonnet", 2, 135, Money.parse("0.75")),
                new HourlyUsage(hour.plusSeconds(3600), 7, "sonnet", 1, 2, Money.parse("1")),
                new HourlyUsage(hour, 8, "opus", 1, 7, Money.parse("2")));
    }

    private static UsageEvent event(String id, long user, String model, String cost, Instant at, long in, long out) {
        return UsageEvent.builder(id, user).model(model).tokens(in, out, 0, 0).totalCost(Money.parse(cost))
                .occurredAt(at).build();
    }
}
