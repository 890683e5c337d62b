package dev.quota.jdbc;

import dev.quota.core.spi.RollupStore;
import dev.quota.testkit.contract.RollupStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link RollupStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbRollupStoreContractTest extends RollupStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected RollupStore createStore() {
        return DB.fresh("c_").rollups();
    }
}
