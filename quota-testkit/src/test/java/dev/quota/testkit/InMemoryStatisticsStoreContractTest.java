package dev.quota.testkit;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.testkit.contract.StatisticsStoreContract;

class InMemoryStatisticsStoreContractTest extends StatisticsStoreContract {

    @Override
    protected StatisticsStore createStore() {
        return new InMemoryStatisticsStore();
    }
}
