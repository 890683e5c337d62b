package dev.quota.jdbc;

import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.contract.SubscriptionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link SubscriptionStoreContract} on an in-memory H2 database (always runs). */
class H2SubscriptionStoreContractTest extends SubscriptionStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected SubscriptionStore createStore() {
        return DB.fresh("c_").subscriptions();
    }
}
