package dev.quota.jdbc;

import dev.quota.core.spi.BalanceStore;
import dev.quota.testkit.contract.BalanceStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link BalanceStoreContract} on an in-memory H2 database (always runs). */
class H2BalanceStoreContractTest extends BalanceStoreContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected BalanceStore createStore() {
        return DB.fresh("c_").balances();
    }
}
