package dev.quota.testkit;

import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;

class InMemoryPlatformQuotaStoreContractTest extends PlatformQuotaStoreContract {

    @Override
    protected PlatformQuotaStore createStore() {
        return new InMemoryPlatformQuotaStore();
    }
}
