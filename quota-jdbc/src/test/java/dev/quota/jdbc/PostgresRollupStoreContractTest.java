package dev.quota.jdbc;

import dev.quota.core.spi.RollupStore;
import dev.quota.testkit.contract.RollupStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link RollupStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresRollupStoreContractTest extends RollupStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected RollupStore createStore() {
        return DB.fresh("c_").rollups();
    }
}
