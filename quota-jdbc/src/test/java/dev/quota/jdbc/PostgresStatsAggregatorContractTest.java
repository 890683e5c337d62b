package dev.quota.jdbc;

import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.StatsAggregatorContract;
import java.time.ZoneId;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-computed {@link StatsAggregatorContract} (Asia/Shanghai and America/New_York DST), aggregated in the
 * database ({@link JdbcQuota#aggregates()}), on PostgreSQL, in a schema of its own, when {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresStatsAggregatorContractTest extends StatsAggregatorContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected Backend createBackend(ZoneId zone, MutableClock clock) {
        JdbcQuota quota = DB.fresh("sa_", zone, clock);
        return new Backend(quota.usageLog(), quota.statistics(), quota.aggregates());
    }
}
