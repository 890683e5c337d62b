package dev.quota.jdbc;

import dev.quota.core.spi.BalanceStore;
import dev.quota.testkit.contract.BalanceStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link BalanceStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresBalanceStoreContractTest extends BalanceStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected BalanceStore createStore() {
        return DB.fresh("c_").balances();
    }
}
