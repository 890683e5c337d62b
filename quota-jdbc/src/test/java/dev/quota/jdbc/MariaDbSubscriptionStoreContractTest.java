package dev.quota.jdbc;

import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.contract.SubscriptionStoreContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link SubscriptionStoreContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbSubscriptionStoreContractTest extends SubscriptionStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected SubscriptionStore createStore() {
        return DB.fresh("c_").subscriptions();
    }
}
