package dev.quota.jdbc;

import dev.quota.testkit.contract.UsageLedgerContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link UsageLedgerContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresUsageLedgerContractTest extends UsageLedgerContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected LedgerUnderTest createLedger() {
        JdbcQuota q = DB.fresh("c_");
        return new LedgerUnderTest(q.ledger(), q.usageLog(), q.balances(), q.subscriptions(), q.platformQuotas(),
                q.windowCounters());
    }
}
