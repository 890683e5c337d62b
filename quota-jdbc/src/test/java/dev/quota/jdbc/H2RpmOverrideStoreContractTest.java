package dev.quota.jdbc;

import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.testkit.contract.RpmOverrideStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link RpmOverrideStoreContract} on an in-memory H2 database (always runs). */
class H2RpmOverrideStoreContractTest extends RpmOverrideStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected RpmOverrideStore createStore() {
        return DB.fresh("c_").rpmOverrides();
    }
}
