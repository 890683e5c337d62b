package dev.quota.jdbc;

import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link PlatformQuotaStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbPlatformQuotaStoreContractTest extends PlatformQuotaStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected PlatformQuotaStore createStore() {
        return DB.fresh("c_").platformQuotas();
    }
}
