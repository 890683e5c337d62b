package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.TrendPoint;
import dev.quota.jdbc.report.UserTrendPoint;
import dev.quota.testkit.MutableClock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests and tokens per minute of trend points, and the span cap of user-facing queries, against hand-computed
 * figures in America/New_York, whose 2026-11-01 lasts 25 hours (1500 minutes) and 2026-03-08 23 hours (1380).
 *
 * <pre>
 * id  UTC                       local (New York)             user tokens
 * a0  2026-03-08T05:00:00Z      03-08 00:00 EST              1    69
 * a1  2026-11-01T04:00:00Z      11-01 00:00 EDT              1    150
 * a2  2026-11-01T06:30:00Z      11-01 01:30 EST (2nd 01:30)  1    150
 * a3  2026-11-02T04:59:59.999Z  11-01 23:59:59.999 EST       2    300
 * </pre>
 */
abstract class AnalyticsReportsSuite extends DbSuite {

    static final String PREFIX = "ar_";
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final Instant NOV_01 = Instant.parse("2026-11-01T04:00:00Z");
    static final Instant NOV_02 = Instant.parse("2026-11-02T05:00:00Z");

    UsageReports reports;


    static UsageEvent ev(String id, long user, String at, long tokens) {
        return UsageEvent.builder(id, user).apiKeyId(user * 10).platform("anthropic").model("claude")
                .tokens(tokens, 0, 0, 0).totalCost(Money.ofNanos(tokens)).occurredAt(Instant.parse(at)).build();
    }

    @BeforeEach
    void seed() {
        JdbcQuota quota = db().quota(PREFIX, NEW_YORK, MutableClock.at(NOW));
        db().reset(PREFIX);
        quota.usageLog().appendAll(List.of(
                ev("a0", 1, "2026-03-08T05:00:00Z", 69),
                ev("a1", 1, "2026-11-01T04:00:00Z", 150),
                ev("a2", 1, "2026-11-01T06:30:00Z", 150),
                ev("a3", 2, "2026-11-02T04:59:59.999Z", 300)));
        reports = quota.reports();
    }

    // --- per-minute rates -----------------------------------------------------------------------------------

    @Test
    void aFallBackDayHasFifteenHundredMinutes() {
        List<TrendPoint> days = reports.trend(UsageFilter.all().between(NOV_01, NOV_02), Granularity.DAY);

        assertThat(days).hasSize(1);
        assertThat(days.get(0).totals().requests()).isEqualTo(3);
        assertThat(days.get(0).requestsPerMinute()).isEqualTo(0.002); // 3 / 1500
        assertThat(days.get(0).tokensPerMinute()).isEqualTo(0.4); // 600 / 1500
    }

    @Test
    void aSpringForwardDayHasThirteenHundredEightyMinutes() {
        List<TrendPoint> days = reports.trend(UsageFilter.all().between(Instant.parse("2026-03-08T05:00:00Z"),
                Instant.parse("2026-03-09T04:00:00Z")), Granularity.DAY);

        assertThat(days).hasSize(1);
        assertThat(days.get(0).requestsPerMinute()).isEqualTo(1.0 / 1380);
        assertThat(days.get(0).tokensPerMinute()).isEqualTo(0.05); // 69 / 1380
    }

    @Test
    void aBucketCutByTheQueriedRangeCountsOnlyItsMinutesInsideIt() {
        // the hour bucket 06:00Z-07:00Z (the second 01:00 EST), queried from 06:30Z: 30 minutes
        List<TrendPoint> hours = reports.trend(UsageFilter.all().between(Instant.parse("2026-11-01T06:30:00Z"),
                Instant.parse("2026-11-01T07:00:00Z")), Granularity.HOUR);

        assertThat(hours).extracting(TrendPoint::start).containsExactly(Instant.parse("2026-11-01T06:00:00Z"));
        assertThat(hours.get(0).requestsPerMinute()).isEqualTo(1.0 / 30);
        assertThat(hours.get(0).tokensPerMinute()).isEqualTo(5.0); // 150 / 30
    }

    @Test
    void topUserTrendPointsCarryTheirRates() {
        List<UserTrendPoint> points = reports.topUserTrend(NOV_01, NOV_02, Granularity.DAY, 2);

        assertThat(points).extracting(UserTrendPoint::userId, p -> p.point().requestsPerMinute(),
                p -> p.point().tokensPerMinute()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, 2.0 / 1500, 0.2), // 300 tokens / 1500
                org.assertj.core.groups.Tuple.tuple(2L, 1.0 / 1500, 0.2));
    }

    // --- span caps ------------------------------------------------------------------------------------------

    @Test
    void aUserQueryMaySpanOneMonthOfTheBusinessZone() {
        UserUsageReports user1 = reports.forUser(1);
        // 2026-10-15 00:00 EDT + one month = 2026-11-15 00:00 EST: 31 days and 1 hour
        Instant from = Instant.parse("2026-10-15T04:00:00Z");
        Instant monthLater = Instant.parse("2026-11-15T05:00:00Z");

        assertThat(user1.maxSpan()).isEqualTo(Period.ofMonths(1));
        assertThat(user1.totals(from, monthLater).requests()).isEqualTo(2);
        assertThat(user1.trend(from, monthLater, Granularity.DAY)).extracting(p -> p.totals().requests())
                .containsExactly(2L);
        assertThat(user1.list(from, monthLater, PageRequest.of(1, 10)).total()).isEqualTo(2);
        assertThat(user1.modelStats(from, monthLater)).extracting(m -> m.totals().requests()).containsExactly(2L);
    }

    @Test
    void aUserQueryBeyondTheCapIsRejectedWithAClearMessage() {
        UserUsageReports user1 = reports.forUser(1);
        Instant from = Instant.parse("2026-10-15T04:00:00Z");
        Instant tooLate = Instant.parse("2026-11-15T05:00:00.001Z");

        assertThatThrownBy(() -> user1.totals(from, tooLate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most P1M");
        assertThatThrownBy(() -> user1.trend(from, tooLate, Granularity.DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user1.list(from, tooLate, PageRequest.of(1, 10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user1.modelStats(from, tooLate)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user1.totals(tooLate, from)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> user1.totals(null, from)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reports.forUser(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUserSpanIsConfigurable() {
        UsageReports weekly = JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix(PREFIX).zone(NEW_YORK)
                .clock(MutableClock.at(NOW)).userQuerySpan(Period.ofDays(7)).build().reports();

        assertThat(weekly.forUser(1).totals(NOV_01, NOV_01.plusSeconds(7 * 86_400 + 3_600)).requests())
                .as("7 local days from 00:00 EDT end at 00:00 EST, 7 days and 1 hour later").isEqualTo(2);
        assertThatThrownBy(() -> weekly.forUser(1).totals(NOV_01, NOV_01.plusSeconds(7 * 86_400 + 3_601)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most P7D");
        assertThatThrownBy(() -> JdbcQuota.builder(db().jdbi).userQuerySpan(Period.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcQuota.builder(db().jdbi).userQuerySpan(Period.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAdminQueryHasNoCapAndMayFilterByUser() {
        Instant from = Instant.parse("2026-01-01T05:00:00Z");
        Instant to = Instant.parse("2027-01-01T05:00:00Z");

        assertThat(reports.totals(UsageFilter.all().withUser(1).between(from, to)).requests()).isEqualTo(3);
        assertThat(reports.trend(UsageFilter.all().withUser(1).between(from, to), Granularity.WEEK))
                .extracting(p -> p.totals().requests()).containsExactly(1L, 2L);
    }
}
