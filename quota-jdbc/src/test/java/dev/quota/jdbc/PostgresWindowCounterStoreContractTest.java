package dev.quota.jdbc;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.contract.WindowCounterStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link WindowCounterStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresWindowCounterStoreContractTest extends WindowCounterStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected WindowCounterStore createStore() {
        return DB.fresh("c_").windowCounters();
    }
}
