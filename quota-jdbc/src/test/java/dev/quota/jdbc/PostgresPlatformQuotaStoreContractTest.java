package dev.quota.jdbc;

import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link PlatformQuotaStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresPlatformQuotaStoreContractTest extends PlatformQuotaStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected PlatformQuotaStore createStore() {
        return DB.fresh("c_").platformQuotas();
    }
}
