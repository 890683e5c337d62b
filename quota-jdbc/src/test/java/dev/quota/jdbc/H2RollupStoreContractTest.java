package dev.quota.jdbc;

import dev.quota.core.spi.RollupStore;
import dev.quota.testkit.contract.RollupStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link RollupStoreContract} on an in-memory H2 database (always runs). */
class H2RollupStoreContractTest extends RollupStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected RollupStore createStore() {
        return DB.fresh("c_").rollups();
    }
}
