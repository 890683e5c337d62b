package dev.quota.jdbc;

import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.testkit.contract.RpmOverrideStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link RpmOverrideStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbRpmOverrideStoreContractTest extends RpmOverrideStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected RpmOverrideStore createStore() {
        return DB.fresh("c_").rpmOverrides();
    }
}
