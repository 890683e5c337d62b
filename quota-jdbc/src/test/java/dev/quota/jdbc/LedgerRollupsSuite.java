package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hourly user x model roll-ups stay exact without any rebuild: {@link JdbcQuota#ledger()} adds them in the
 * transaction that stores the events (replays add nothing), in hours of the business zone passed to
 * {@code store}. Expected rows are computed by hand; {@code HourlyRollups.rebuild} is never called here.
 */
abstract class LedgerRollupsSuite extends TablesSuite {

    static final String PREFIX = "lr_";
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    LedgerRollupsSuite() {
        super(PREFIX);
    }

    static UsageEvent ev(String id, long user, String model, String at, long in, long out, long nanos) {
        return UsageEvent.builder(id, user).apiKeyId(user * 10).platform("anthropic").model(model)
                .tokens(in, out, 0, 0).totalCost(Money.ofNanos(nanos)).actualCost(Money.ofNanos(nanos))
                .occurredAt(Instant.parse(at)).build();
    }

    static HourlyUsage row(String hour, long user, String model, long requests, long tokens, long nanos) {
        return new HourlyUsage(Instant.parse(hour), user, model, requests, tokens, Money.ofNanos(nanos));
    }

    @Test
    void rollupsOfTheTwoOneOClockHoursOfAFallBackNightAreExactAfterEveryStoreWithoutARebuild() {
        // 2026-11-01 in New York: 01:00 EDT is 05:00Z, the second 01:00 (EST) is 06:00Z
        UsageEvent r1 = ev("r1", 1, "claude", "2026-11-01T05:10:00Z", 10, 5, 100);
        UsageEvent r2 = ev("r2", 1, "claude", "2026-11-01T05:50:00Z", 1, 1, 7);
        UsageEvent r3 = ev("r3", 1, "claude", "2026-11-01T06:10:00Z", 2, 0, 11);
        UsageEvent r4 = ev("r4", 2, "gpt-4o", "2026-11-01T06:20:00Z", 3, 3, 13);
        UsageEvent r5 = ev("r5", 1, "gpt-4o", "2026-11-01T06:59:59.999Z", 4, 4, 17);
        Instant from = Instant.parse("2026-11-01T05:00:00Z");
        Instant to = Instant.parse("2026-11-01T07:00:00Z");

        quota.ledger().store(List.of(r1, r3), NOW, NEW_YORK);
        assertThat(quota.rollups().find(null, from, to)).containsExactly(
                row("2026-11-01T05:00:00Z", 1, "claude", 1, 15, 100),
                row("2026-11-01T06:00:00Z", 1, "claude", 1, 2, 11));

        quota.ledger().store(List.of(r2, r4, r1, r5), NOW, NEW_YORK);
        quota.ledger().store(List.of(r3, r4), NOW, NEW_YORK);

        assertThat(quota.rollups().find(null, from, to)).containsExactly(
                row("2026-11-01T05:00:00Z", 1, "claude", 2, 17, 107),
                row("2026-11-01T06:00:00Z", 1, "claude", 1, 2, 11),
                row("2026-11-01T06:00:00Z", 1, "gpt-4o", 1, 8, 17),
                row("2026-11-01T06:00:00Z", 2, "gpt-4o", 1, 6, 13));
        assertThat(quota.rollups().find(2L, from, to)).containsExactly(
                row("2026-11-01T06:00:00Z", 2, "gpt-4o", 1, 6, 13));
    }

    @Test
    void rollupHoursAreHoursOfTheBusinessZoneNotUtcHours() {
        // Asia/Kolkata is UTC+05:30: 10:00 IST starts at 04:30Z
        quota.ledger().store(List.of(
                ev("k1", 1, "claude", "2025-03-10T04:29:59.999Z", 1, 0, 1),
                ev("k2", 1, "claude", "2025-03-10T04:30:00Z", 2, 0, 2),
                ev("k3", 1, "claude", "2025-03-10T05:29:59.999Z", 4, 0, 4),
                ev("k4", 1, "claude", "2025-03-10T05:30:00Z", 8, 0, 8)), NOW, KOLKATA);

        assertThat(quota.rollups().find(1L, Instant.parse("2025-03-10T03:30:00Z"),
                Instant.parse("2025-03-10T06:30:00Z"))).containsExactly(
                row("2025-03-10T03:30:00Z", 1, "claude", 1, 1, 1),
                row("2025-03-10T04:30:00Z", 1, "claude", 2, 6, 6),
                row("2025-03-10T05:30:00Z", 1, "claude", 1, 8, 8));
    }
}
