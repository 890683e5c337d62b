package dev.quota.jdbc;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.testkit.contract.StatisticsStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link StatisticsStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresStatisticsStoreContractTest extends StatisticsStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected StatisticsStore createStore() {
        return DB.fresh("c_").statistics();
    }
}
