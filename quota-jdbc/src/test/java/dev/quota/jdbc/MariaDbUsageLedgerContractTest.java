package dev.quota.jdbc;

import dev.quota.testkit.contract.UsageLedgerContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link UsageLedgerContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbUsageLedgerContractTest extends UsageLedgerContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected LedgerUnderTest createLedger() {
        JdbcQuota q = DB.fresh("c_");
        return new LedgerUnderTest(q.ledger(), q.usageLog(), q.balances(), q.subscriptions(), q.platformQuotas(),
                q.windowCounters());
    }
}
