package dev.quota.testkit;

import dev.quota.core.spi.RollupStore;
import dev.quota.testkit.contract.RollupStoreContract;

class InMemoryRollupStoreContractTest extends RollupStoreContract {

    @Override
    protected RollupStore createStore() {
        return new InMemoryRollupStore();
    }
}
