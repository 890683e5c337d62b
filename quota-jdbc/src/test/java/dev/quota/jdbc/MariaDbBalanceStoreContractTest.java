package dev.quota.jdbc;

import dev.quota.core.spi.BalanceStore;
import dev.quota.testkit.contract.BalanceStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link BalanceStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbBalanceStoreContractTest extends BalanceStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected BalanceStore createStore() {
        return DB.fresh("c_").balances();
    }
}
