package dev.quota.jdbc;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.testkit.contract.StatisticsStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link StatisticsStoreContract} on an in-memory H2 database (always runs). */
class H2StatisticsStoreContractTest extends StatisticsStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected StatisticsStore createStore() {
        return DB.fresh("c_").statistics();
    }
}
