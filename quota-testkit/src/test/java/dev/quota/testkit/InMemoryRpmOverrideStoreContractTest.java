package dev.quota.testkit;

import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.testkit.contract.RpmOverrideStoreContract;

class InMemoryRpmOverrideStoreContractTest extends RpmOverrideStoreContract {

    @Override
    protected RpmOverrideStore createStore() {
        return new InMemoryRpmOverrideStore();
    }
}
