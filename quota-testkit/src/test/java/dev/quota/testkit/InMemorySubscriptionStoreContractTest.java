package dev.quota.testkit;

import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.contract.SubscriptionStoreContract;

class InMemorySubscriptionStoreContractTest extends SubscriptionStoreContract {

    @Override
    protected SubscriptionStore createStore() {
        return new InMemorySubscriptionStore();
    }
}
