package dev.quota.jdbc;

import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.StatsAggregatorContract;
import java.time.ZoneId;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-computed {@link StatsAggregatorContract} (Asia/Shanghai and America/New_York DST), aggregated in the
 * database ({@link JdbcQuota#aggregates()}), on an in-memory H2 database (always runs).
 */
class H2StatsAggregatorContractTest extends StatsAggregatorContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected Backend createBackend(ZoneId zone, MutableClock clock) {
        JdbcQuota quota = DB.fresh("sa_", zone, clock);
        return new Backend(quota.usageLog(), quota.statistics(), quota.aggregates());
    }
}
