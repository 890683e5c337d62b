package dev.quota.jdbc;

import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.testkit.contract.RpmOverrideStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link RpmOverrideStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresRpmOverrideStoreContractTest extends RpmOverrideStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected RpmOverrideStore createStore() {
        return DB.fresh("c_").rpmOverrides();
    }
}
