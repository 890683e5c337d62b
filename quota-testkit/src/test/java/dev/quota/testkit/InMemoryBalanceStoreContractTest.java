package dev.quota.testkit;

import dev.quota.core.spi.BalanceStore;
import dev.quota.testkit.contract.BalanceStoreContract;

class InMemoryBalanceStoreContractTest extends BalanceStoreContract {

    @Override
    protected BalanceStore createStore() {
        return new InMemoryBalanceStore();
    }
}
