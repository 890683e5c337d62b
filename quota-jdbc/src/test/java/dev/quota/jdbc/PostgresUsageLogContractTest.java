package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.UsageLogContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link UsageLogContract} on PostgreSQL, in a schema of its own, when
 * {@code QUOTA_TEST_POSTGRES_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresUsageLogContractTest extends UsageLogContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected UsageLog createLog() {
        return DB.fresh("c_").usageLog();
    }
}
