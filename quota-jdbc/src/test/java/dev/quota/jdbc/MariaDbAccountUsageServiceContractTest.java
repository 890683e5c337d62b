package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.AccountUsageServiceContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link AccountUsageServiceContract} with its statistics read from the JDBC usage log on
 * MariaDB/MySQL, in a database of its own, when {@code QUOTA_TEST_MYSQL_URL} is set..
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbAccountUsageServiceContractTest extends AccountUsageServiceContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected UsageLog createUsageLog() {
        return DB.fresh("au_").usageLog();
    }
}
