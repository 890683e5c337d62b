package dev.quota.jdbc;

import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.contract.SubscriptionStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link SubscriptionStoreContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresSubscriptionStoreContractTest extends SubscriptionStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected SubscriptionStore createStore() {
        return DB.fresh("c_").subscriptions();
    }
}
