package dev.quota.testkit;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.contract.WindowCounterStoreContract;

class InMemoryWindowCounterStoreContractTest extends WindowCounterStoreContract {

    @Override
    protected WindowCounterStore createStore() {
        return new InMemoryWindowCounterStore();
    }
}
