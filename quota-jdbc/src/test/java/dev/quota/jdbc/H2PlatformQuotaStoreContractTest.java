package dev.quota.jdbc;

import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link PlatformQuotaStoreContract} on an in-memory H2 database (always runs). */
class H2PlatformQuotaStoreContractTest extends PlatformQuotaStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected PlatformQuotaStore createStore() {
        return DB.fresh("c_").platformQuotas();
    }
}
