package dev.quota.jdbc;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.contract.WindowCounterStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link WindowCounterStoreContract} on an in-memory H2 database (always runs). */
class H2WindowCounterStoreContractTest extends WindowCounterStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected WindowCounterStore createStore() {
        return DB.fresh("c_").windowCounters();
    }
}
