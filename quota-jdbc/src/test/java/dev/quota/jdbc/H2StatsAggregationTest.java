package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.stats.HourlyRollups;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StatsAggregator} and {@link HourlyRollups} on the H2 adapter write exactly what they write on the
 * in-memory fakes for the same ledger: a small data set in Asia/Shanghai crossing local midnight, with two users,
 * two models and an event without a model.
 */
class H2StatsAggregationTest {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate MAR_09 = LocalDate.of(2025, 3, 9);
    private static final LocalDate MAR_10 = LocalDate.of(2025, 3, 10);
    private static final Instant FROM = local("2025-03-09T00:00:00");
    private static final Instant TO = local("2025-03-11T00:00:00");

    private MutableClock clock;
    private JdbcQuota sql;
    private InMemoryQuota memory;

    private static Instant local(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static UsageEvent ev(String id, String at, long user, String model, long in, long out, String list,
                                 String charged, int status, long ms) {
        UsageEvent.Builder b = UsageEvent.builder(id, user).platform("anthropic").tokens(in, out, 3, 4)
                .totalCost(Money.parse(list)).actualCost(Money.parse(charged))
                .costParts(Money.parse(charged), Money.ZERO, Money.ZERO, Money.ZERO)
                .httpStatus(status).responseTimeMs(ms).occurredAt(local(at));
        if (model != null) {
            b.model(model);
        }
        return b.build();
    }

    @BeforeEach
    void seed() {
        clock = MutableClock.at(local("2025-03-11T02:30:00"), SHANGHAI);
        sql = DB.fresh("st_", SHANGHAI, clock);
        memory = InMemoryQuota.create(clock, SHANGHAI);
        List<UsageEvent> events = List.of(
                ev("e1", "2025-03-09T10:15:00", 1, "claude-a", 100, 50, "1.0", "0.8", 200, 100),
                ev("e2", "2025-03-09T23:40:00", 1, "claude-b", 200, 100, "2.0", "2.0", 200, 300),
                ev("e3", "2025-03-09T23:59:59.999", 2, "claude-a", 10, 10, "0.5", "0.5", 500, 50),
                ev("e4", "2025-03-10T00:00:00", 1, "claude-a", 300, 0, "3.0", "1.5", 200, 200),
                ev("e5", "2025-03-10T00:10:00", 1, "claude-a", 30, 10, "0.25", "0.25", 200, 40),
                ev("e6", "2025-03-10T00:20:00", 2, null, 1, 1, "0.01", "0.01", 200, 5),
                ev("e7", "2025-03-10T00:45:00", 2, "claude-b", 50, 50, "1.0", "1.0", 429, 10),
                ev("e8", "2025-03-11T02:26:00", 1, "claude-a", 5, 5, "0.1", "0.1", 200, 20));
        assertThat(sql.usageLog().appendAll(events)).isEqualTo(events.size());
        assertThat(memory.usageLog().appendAll(events)).isEqualTo(events.size());
    }

    private static StatsAggregator aggregator(UsageLog log, StatisticsStore stats, MutableClock clock) {
        return StatsAggregator.create(log, stats, clock, SHANGHAI);
    }

    private static List<DailyStats> stored(StatisticsStore stats) {
        List<DailyStats> rows = new ArrayList<>();
        for (Long user : new Long[] {null, 1L, 2L, 3L}) {
            rows.addAll(stats.range(MAR_09.minusDays(1), MAR_10.plusDays(2), user));
        }
        return rows;
    }

    @Test
    void aggregateDayStoresTheSameDailyStatisticsAsInMemory() {
        StatsAggregator onSql = aggregator(sql.usageLog(), sql.statistics(), clock);
        StatsAggregator inMemory = aggregator(memory.usageLog(), memory.statistics(), clock);

        for (LocalDate day : List.of(MAR_09, MAR_10, MAR_09)) {
            assertThat(onSql.aggregateDay(day)).isEqualTo(inMemory.aggregateDay(day));
        }

        assertThat(stored(sql.statistics())).hasSize(6).containsExactlyElementsOf(stored(memory.statistics()));
        assertThat(onSql.summary()).isEqualTo(inMemory.summary());
        assertThat(onSql.summary().allTime().requests()).isEqualTo(8);
    }

    @Test
    void rebuildStoresTheSameRollupsAsInMemoryAndIsIdempotent() {
        RollupStore sqlRollups = sql.rollups();
        HourlyRollups onSql = HourlyRollups.create(sql.usageLog(), sqlRollups, SHANGHAI);
        HourlyRollups inMemory = HourlyRollups.create(memory.usageLog(), memory.rollups(), SHANGHAI);

        int written = onSql.rebuild(FROM, TO);

        assertThat(written).isEqualTo(inMemory.rebuild(FROM, TO)).isEqualTo(6);
        assertThat(onSql.rebuild(FROM, TO)).isEqualTo(written);
        assertThat(sqlRollups.find(null, FROM, TO)).containsExactlyElementsOf(memory.rollups().find(null, FROM, TO));
    }
}
