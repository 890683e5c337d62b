package dev.quota.jdbc;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.contract.WindowCounterStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link WindowCounterStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbWindowCounterStoreContractTest extends WindowCounterStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected WindowCounterStore createStore() {
        return DB.fresh("c_").windowCounters();
    }
}
