package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.AccountUsageStats;
import dev.quota.jdbc.report.ApiKeyTrendPoint;
import dev.quota.jdbc.report.DashboardStats;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.jdbc.report.TrendPoint;
import dev.quota.jdbc.report.UsageSummary;
import dev.quota.jdbc.report.UserDashboardStats;
import dev.quota.jdbc.report.UserTrendPoint;
import dev.quota.jdbc.report.WindowStats;
import dev.quota.testkit.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every reporting query against hand-computed results on a small data set in the business zone
 * Asia/Shanghai (UTC+8) that crosses the local midnight of Monday 2025-03-10, which is 2025-03-09T16:00Z:
 * in UTC all of e1..e6 fall on the same day and week, in Shanghai they split 3 / 3.
 *
 * <pre>
 * id  local time (+08)          user key acct model     tokens(in,out,cc,cr) list  charged status  ms
 * e7  2025-03-03 10:00          3    31  103  claude-a  1000,0,0,0    =1000  4.0   4.0     200     1000
 * e1  2025-03-09 22:15          1    11  101  claude-a  100,50,0,0    =150   1.0   0.8     200     100
 * e2  2025-03-09 23:40          1    11  101  claude-b  200,100,10,20 =330   2.0   2.0     200     300
 * e3  2025-03-09 23:59:59.999   2    21  102  claude-a  10,10,0,0     =20    0.5   0.5     500     50
 * e4  2025-03-10 00:00:00.000   1    12  101  claude-a  300,0,0,0     =300   3.0   1.5     200     200
 * e5  2025-03-10 00:45          2    21  101  claude-b  50,50,0,0     =100   1.0   1.0     429     10
 * e6  2025-03-10 02:26          1    11  102  (none)    5,5,0,0       =10    0.1   0.1     200     20
 * now 2025-03-10 02:30
 * </pre>
 */
abstract class ReportsSuite extends DbSuite {

    static final String PREFIX = "rp_";
    static final Instant NOW = local("2025-03-10T02:30:00");
    static final Instant MAR_09 = local("2025-03-09T00:00:00");
    static final Instant MAR_10 = local("2025-03-10T00:00:00");
    static final Instant MAR_11 = local("2025-03-11T00:00:00");

    UsageReports reports;
    JdbcQuota quota;


    static Instant local(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    static UsageEvent ev(String id, String at, long user, long key, long account, String model, long in, long out,
                         long cc, long cr, String list, String charged, int status, long ms) {
        UsageEvent.Builder b = UsageEvent.builder(id, user).apiKeyId(key).accountId(account).groupId(1)
                .platform("anthropic").tokens(in, out, cc, cr).totalCost(Money.parse(list))
                .actualCost(Money.parse(charged)).httpStatus(status).responseTimeMs(ms).occurredAt(local(at));
        if (model != null) {
            b.model(model);
        }
        return b.build();
    }

    @BeforeEach
    void seed() {
        quota = db().quota(PREFIX, SHANGHAI, MutableClock.at(NOW));
        reports = quota.reports();
        db().reset(PREFIX);
        quota.usageLog().appendAll(List.of(
                ev("e7", "2025-03-03T10:00:00", 3, 31, 103, "claude-a", 1000, 0, 0, 0, "4.0", "4.0", 200, 1000),
                ev("e1", "2025-03-09T22:15:00", 1, 11, 101, "claude-a", 100, 50, 0, 0, "1.0", "0.8", 200, 100),
                ev("e2", "2025-03-09T23:40:00", 1, 11, 101, "claude-b", 200, 100, 10, 20, "2.0", "2.0", 200, 300),
                ev("e3", "2025-03-09T23:59:59.999", 2, 21, 102, "claude-a", 10, 10, 0, 0, "0.5", "0.5", 500, 50),
                ev("e4", "2025-03-10T00:00:00", 1, 12, 101, "claude-a", 300, 0, 0, 0, "3.0", "1.5", 200, 200),
                ev("e5", "2025-03-10T00:45:00", 2, 21, 101, "claude-b", 50, 50, 0, 0, "1.0", "1.0", 429, 10),
                ev("e6", "2025-03-10T02:26:00", 1, 11, 102, null, 5, 5, 0, 0, "0.1", "0.1", 200, 20)));
    }

    static Money usd(String s) {
        return Money.parse(s);
    }

    // --- trends ---------------------------------------------------------------------------------------------

    @Test
    void dailyTrendSplitsAtLocalMidnightNotUtcMidnight() {
        List<TrendPoint> days = reports.trend(UsageFilter.all().between(MAR_09, MAR_11), Granularity.DAY);

        assertThat(days).containsExactly(
                new TrendPoint(MAR_09, MAR_10, new UsageTotals(3, 2, 1, 310, 160, 10, 20,
                        usd("3.5"), usd("3.3"), Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, 450)),
                new TrendPoint(MAR_10, MAR_11, new UsageTotals(3, 2, 1, 355, 55, 0, 0,
                        usd("4.1"), usd("2.6"), Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, 230)));
        assertThat(MAR_10).isEqualTo(Instant.parse("2025-03-09T16:00:00Z"));
    }

    @Test
    void dailyTrendFilteredByUserOrKey() {
        List<TrendPoint> user1 = reports.trend(UsageFilter.all().withUser(1).between(MAR_09, MAR_11), Granularity.DAY);
        List<TrendPoint> key21 = reports.trend(UsageFilter.all().withApiKey(21).between(MAR_09, MAR_11), Granularity.DAY);

        assertThat(user1).extracting(TrendPoint::start).containsExactly(MAR_09, MAR_10);
        assertThat(user1).extracting(p -> p.totals().requests()).containsExactly(2L, 2L);
        assertThat(user1).extracting(p -> p.totals().totalTokens()).containsExactly(480L, 310L);
        assertThat(user1).extracting(p -> p.totals().actualCost()).containsExactly(usd("2.8"), usd("1.6"));
        assertThat(key21).extracting(p -> p.totals().totalTokens()).containsExactly(20L, 100L);
        assertThat(key21).extracting(p -> p.totals().errorRequests()).containsExactly(1L, 1L);
    }

    @Test
    void weeklyTrendStartsOnMondayInTheBusinessZone() {
        Instant mar03 = local("2025-03-03T00:00:00");
        Instant mar17 = local("2025-03-17T00:00:00");

        List<TrendPoint> weeks = reports.trend(UsageFilter.all().between(mar03, mar17), Granularity.WEEK);

        assertThat(weeks).extracting(TrendPoint::start).containsExactly(mar03, MAR_10);
        assertThat(weeks).extracting(TrendPoint::end).containsExactly(MAR_10, mar17);
        assertThat(weeks).extracting(p -> p.totals().requests()).containsExactly(4L, 3L);
        assertThat(weeks).extracting(p -> p.totals().totalTokens()).containsExactly(1500L, 410L);
        assertThat(weeks).extracting(p -> p.totals().actualCost()).containsExactly(usd("7.3"), usd("2.6"));
    }

    @Test
    void hourlyTrendOnlyHasHoursWithUsage() {
        List<TrendPoint> hours = reports.trend(
                UsageFilter.all().between(local("2025-03-09T22:00:00"), local("2025-03-10T03:00:00")), Granularity.HOUR);

        assertThat(hours).extracting(TrendPoint::start).containsExactly(Instant.parse("2025-03-09T14:00:00Z"),
                Instant.parse("2025-03-09T15:00:00Z"), Instant.parse("2025-03-09T16:00:00Z"),
                Instant.parse("2025-03-09T18:00:00Z"));
        assertThat(hours).extracting(p -> p.totals().requests()).containsExactly(1L, 2L, 2L, 1L);
        assertThat(hours).extracting(p -> p.totals().totalTokens()).containsExactly(150L, 350L, 400L, 10L);
    }

    @Test
    void hourlyTrendInAHalfHourZoneUsesLocalHours() {
        UsageReports kolkata = db().quota(PREFIX, ZoneId.of("Asia/Kolkata"), MutableClock.at(NOW)).reports();

        List<TrendPoint> hours = kolkata.trend(UsageFilter.all().between(MAR_09, MAR_11), Granularity.HOUR);

        // IST = UTC+05:30: 19:00 IST = 13:30Z (e1), 21:00 IST = 15:30Z (e2, e3, e4), 22:00 (e5), 23:00 (e6)
        assertThat(hours).extracting(TrendPoint::start).containsExactly(Instant.parse("2025-03-09T13:30:00Z"),
                Instant.parse("2025-03-09T15:30:00Z"), Instant.parse("2025-03-09T16:30:00Z"),
                Instant.parse("2025-03-09T17:30:00Z"));
        assertThat(hours).extracting(p -> p.totals().requests()).containsExactly(1L, 3L, 1L, 1L);
    }

    @Test
    void aTrendNeedsATimeRange() {
        assertThatThrownBy(() -> reports.trend(UsageFilter.all().withUser(1), Granularity.DAY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topApiKeyTrendKeepsTheKeysWithTheMostTokens() {
        List<ApiKeyTrendPoint> points = reports.topApiKeyTrend(MAR_09, MAR_11, Granularity.DAY, 2);

        // tokens in range: key 11 = 490, key 12 = 300, key 21 = 120
        assertThat(points).extracting(p -> p.point().start(), ApiKeyTrendPoint::apiKeyId, p -> p.point().totals().totalTokens())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(MAR_09, 11L, 480L),
                        org.assertj.core.groups.Tuple.tuple(MAR_10, 12L, 300L),
                        org.assertj.core.groups.Tuple.tuple(MAR_10, 11L, 10L));
        assertThatThrownBy(() -> reports.topApiKeyTrend(MAR_09, MAR_11, Granularity.DAY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topUserTrendKeepsTheUsersWithTheMostTokens() {
        List<UserTrendPoint> points = reports.topUserTrend(MAR_09, MAR_11, Granularity.DAY, 1);

        assertThat(points).extracting(p -> p.point().start(), UserTrendPoint::userId, p -> p.point().totals().requests(),
                p -> p.point().totals().totalTokens()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(MAR_09, 1L, 2L, 480L),
                org.assertj.core.groups.Tuple.tuple(MAR_10, 1L, 2L, 310L));
        assertThat(reports.topUserTrend(MAR_11, MAR_11.plusSeconds(60), Granularity.HOUR, 5)).isEmpty();
    }

    // --- per-model, per-account -----------------------------------------------------------------------------

    @Test
    void modelStatsAreOrderedByChargedCost() {
        List<ModelStats> all = reports.modelStats(UsageFilter.all());
        List<ModelStats> user1 = reports.modelStats(UsageFilter.all().withUser(1).between(MAR_09, MAR_11));

        assertThat(all).extracting(ModelStats::model).containsExactly("claude-a", "claude-b", "");
        assertThat(all).extracting(m -> m.totals().requests()).containsExactly(4L, 2L, 1L);
        assertThat(all).extracting(m -> m.totals().totalTokens()).containsExactly(1470L, 430L, 10L);
        assertThat(all).extracting(m -> m.totals().actualCost()).containsExactly(usd("6.8"), usd("3.0"), usd("0.1"));
        assertThat(all).extracting(m -> m.totals().totalCost()).containsExactly(usd("8.5"), usd("3.0"), usd("0.1"));
        assertThat(user1).extracting(ModelStats::model, m -> m.totals().actualCost()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claude-a", usd("2.3")),
                org.assertj.core.groups.Tuple.tuple("claude-b", usd("2.0")),
                org.assertj.core.groups.Tuple.tuple("", usd("0.1")));
    }

    @Test
    void accountWindowAndTodayStats() {
        assertThat(reports.accountWindowStats(101, local("2025-03-09T23:00:00")))
                .isEqualTo(new WindowStats(3, 730, usd("4.5")));
        assertThat(reports.accountTodayStats(101)).isEqualTo(new WindowStats(2, 400, usd("2.5")));
        // e3 is one millisecond before local midnight: yesterday for the account's "today"
        assertThat(reports.accountTodayStats(102)).isEqualTo(new WindowStats(1, 10, usd("0.1")));
        assertThat(reports.accountTodayStats(999)).isEqualTo(new WindowStats(0, 0, Money.ZERO));
    }

    @Test
    void accountUsageStatsHaveDailyHistorySumsAndModels() {
        AccountUsageStats s = reports.accountUsageStats(101, MAR_09, MAR_11);

        assertThat(s.days()).extracting(TrendPoint::start).containsExactly(MAR_09, MAR_10);
        assertThat(s.days()).extracting(p -> p.totals().totalTokens()).containsExactly(480L, 400L);
        assertThat(s.days()).extracting(p -> p.totals().actualCost()).containsExactly(usd("2.8"), usd("2.5"));
        assertThat(s.total().requests()).isEqualTo(4);
        assertThat(s.total().totalTokens()).isEqualTo(880);
        assertThat(s.total().actualCost()).isEqualTo(usd("5.3"));
        assertThat(s.models()).extracting(ModelStats::model, m -> m.totals().actualCost()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claude-b", usd("3.0")),
                org.assertj.core.groups.Tuple.tuple("claude-a", usd("2.3")));
        assertThat(s.highestCostDay().orElseThrow().start()).isEqualTo(MAR_09);
        assertThat(s.highestRequestDay().orElseThrow().start()).isEqualTo(MAR_09);
    }

    // --- totals ---------------------------------------------------------------------------------------------

    @Test
    void aggregatedStatsPerUserKeyAndGlobal() {
        UsageTotals user2 = reports.userStats(2, MAR_09, MAR_11);
        UsageTotals key11Mar09 = reports.apiKeyStats(11, MAR_09, MAR_10);
        UsageTotals today = reports.globalStats(MAR_10, MAR_11);

        assertThat(user2.requests()).isEqualTo(2);
        assertThat(user2.successRequests()).isZero();
        assertThat(user2.errorRequests()).isEqualTo(2);
        assertThat(user2.actualCost()).isEqualTo(usd("1.5"));
        assertThat(key11Mar09.requests()).isEqualTo(2);
        assertThat(key11Mar09.totalTokens()).isEqualTo(480);
        assertThat(today.requests()).isEqualTo(3);
        assertThat(today.responseTimeMsSum()).isEqualTo(230);
        assertThat(reports.totals(UsageFilter.all()).totalCost()).isEqualTo(usd("11.6"));
    }

    @Test
    void batchedStatsHaveTodayAndTotalForEveryRequestedId() {
        Map<Long, UsageSummary> users = reports.batchUserStats(List.of(1L, 2L, 3L, 99L));
        Map<Long, UsageSummary> keys = reports.batchApiKeyStats(List.of(11L, 21L, 31L));

        assertThat(users).containsOnlyKeys(1L, 2L, 3L, 99L);
        assertThat(users.get(1L).today().actualCost()).isEqualTo(usd("1.6"));
        assertThat(users.get(1L).today().requests()).isEqualTo(2);
        assertThat(users.get(1L).total().actualCost()).isEqualTo(usd("4.4"));
        assertThat(users.get(1L).total().requests()).isEqualTo(4);
        assertThat(users.get(2L).today().actualCost()).isEqualTo(usd("1.0"));
        assertThat(users.get(2L).total().actualCost()).isEqualTo(usd("1.5"));
        assertThat(users.get(3L).today()).isEqualTo(UsageTotals.ZERO);
        assertThat(users.get(3L).total().actualCost()).isEqualTo(usd("4.0"));
        assertThat(users.get(99L)).isEqualTo(UsageSummary.EMPTY);
        assertThat(keys.get(11L).today().actualCost()).isEqualTo(usd("0.1"));
        assertThat(keys.get(11L).total().actualCost()).isEqualTo(usd("2.9"));
        assertThat(keys.get(21L).today().actualCost()).isEqualTo(usd("1.0"));
        assertThat(keys.get(31L).today()).isEqualTo(UsageTotals.ZERO);
        assertThat(keys.get(31L).total().actualCost()).isEqualTo(usd("4.0"));
        assertThat(reports.batchUserStats(List.of())).isEmpty();
    }

    // --- dashboards -----------------------------------------------------------------------------------------

    @Test
    void adminDashboard() {
        DashboardStats d = reports.dashboard();

        assertThat(d.total().requests()).isEqualTo(7);
        assertThat(d.total().successRequests()).isEqualTo(5);
        assertThat(d.total().totalTokens()).isEqualTo(1910);
        assertThat(d.total().actualCost()).isEqualTo(usd("9.9"));
        assertThat(d.total().responseTimeMsSum()).isEqualTo(1680);
        assertThat(d.today().requests()).isEqualTo(3);
        assertThat(d.today().totalTokens()).isEqualTo(410);
        assertThat(d.today().actualCost()).isEqualTo(usd("2.6"));
        assertThat(d.users()).isEqualTo(3);
        assertThat(d.activeUsersToday()).isEqualTo(2);
        assertThat(d.apiKeys()).isEqualTo(4);
        assertThat(d.activeApiKeysToday()).isEqualTo(3);
        // last five minutes [02:25, 02:30): only e6 -> 1 request / 5 = 0 rpm, 10 tokens / 5 = 2 tpm
        assertThat(d.requestsPerMinute()).isZero();
        assertThat(d.tokensPerMinute()).isEqualTo(2);
    }

    @Test
    void userDashboard() {
        UserDashboardStats d = reports.userDashboard(1);

        assertThat(d.userId()).isEqualTo(1);
        assertThat(d.total().requests()).isEqualTo(4);
        assertThat(d.total().totalTokens()).isEqualTo(790);
        assertThat(d.total().actualCost()).isEqualTo(usd("4.4"));
        assertThat(d.today().requests()).isEqualTo(2);
        assertThat(d.today().actualCost()).isEqualTo(usd("1.6"));
        assertThat(d.apiKeys()).isEqualTo(2);
        assertThat(d.activeApiKeysToday()).isEqualTo(2);
        assertThat(d.tokensPerMinute()).isEqualTo(2);
    }

    // --- listings -------------------------------------------------------------------------------------------

    @Test
    void pagedListingsByUserKeyAccountAndModel() {
        var p1 = reports.listByUser(1, MAR_09, MAR_11, PageRequest.of(1, 3));
        var p2 = reports.listByUser(1, MAR_09, MAR_11, PageRequest.of(2, 3));

        assertThat(p1.items()).extracting(UsageEvent::requestId).containsExactly("e6", "e4", "e2");
        assertThat(p2.items()).extracting(UsageEvent::requestId).containsExactly("e1");
        assertThat(p1.total()).isEqualTo(4);
        assertThat(reports.listByApiKey(21, MAR_09, MAR_11, PageRequest.of(1, 10)).items())
                .extracting(UsageEvent::requestId).containsExactly("e5", "e3");
        assertThat(reports.listByAccount(102, MAR_09, MAR_11, PageRequest.of(1, 10)).items())
                .extracting(UsageEvent::requestId).containsExactly("e6", "e3");
        assertThat(reports.listByModel("claude-a", local("2025-03-01T00:00:00"), MAR_11, PageRequest.of(1, 10)).items())
                .extracting(UsageEvent::requestId).containsExactly("e4", "e3", "e1", "e7");
        assertThat(reports.listByUser(1, MAR_10, MAR_11, PageRequest.of(1, 10)).items())
                .extracting(UsageEvent::requestId).containsExactly("e6", "e4");
        assertThat(reports.list(UsageFilter.all().withUser(2).withModel("claude-b"), PageRequest.of(1, 10)).items())
                .extracting(UsageEvent::requestId).containsExactly("e5");
    }
}
