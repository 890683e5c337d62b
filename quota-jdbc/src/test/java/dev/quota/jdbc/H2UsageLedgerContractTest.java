package dev.quota.jdbc;

import dev.quota.testkit.contract.UsageLedgerContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link UsageLedgerContract} on an in-memory H2 database (always runs). */
class H2UsageLedgerContractTest extends UsageLedgerContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected LedgerUnderTest createLedger() {
        JdbcQuota q = DB.fresh("c_");
        return new LedgerUnderTest(q.ledger(), q.usageLog(), q.balances(), q.subscriptions(), q.platformQuotas(),
                q.windowCounters());
    }
}
