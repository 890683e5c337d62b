package dev.quota.jdbc;

import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.StatsAggregatorContract;
import java.time.ZoneId;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-computed {@link StatsAggregatorContract} (Asia/Shanghai and America/New_York DST), aggregated in the
 * database ({@link JdbcQuota#aggregates()}), on MariaDB, in a database of its own, when {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbStatsAggregatorContractTest extends StatsAggregatorContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected Backend createBackend(ZoneId zone, MutableClock clock) {
        JdbcQuota quota = DB.fresh("sa_", zone, clock);
        return new Backend(quota.usageLog(), quota.statistics(), quota.aggregates());
    }
}
