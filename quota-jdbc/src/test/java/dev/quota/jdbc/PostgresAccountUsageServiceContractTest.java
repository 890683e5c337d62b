package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.AccountUsageServiceContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link AccountUsageServiceContract} with its statistics read from the JDBC usage log on
 * PostgreSQL, in a schema of its own, when {@code QUOTA_TEST_POSTGRES_URL} is set..
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_ENV, matches = ".*\\S.*")
class PostgresAccountUsageServiceContractTest extends AccountUsageServiceContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.POSTGRESQL);

    @Override
    protected UsageLog createUsageLog() {
        return DB.fresh("au_").usageLog();
    }
}
