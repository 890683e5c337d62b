package dev.quota.jdbc;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.testkit.contract.StatisticsStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link StatisticsStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbStatisticsStoreContractTest extends StatisticsStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected StatisticsStore createStore() {
        return DB.fresh("c_").statistics();
    }
}
