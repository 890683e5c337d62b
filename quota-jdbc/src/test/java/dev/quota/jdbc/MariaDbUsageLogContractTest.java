package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.UsageLogContract;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link UsageLogContract} on MariaDB/MySQL, in a database of its own, when
 * {@code QUOTA_TEST_MYSQL_URL} is set.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.MYSQL_ENV, matches = ".*\\S.*")
class MariaDbUsageLogContractTest extends UsageLogContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.MYSQL);

    @Override
    protected UsageLog createLog() {
        return DB.fresh("c_").usageLog();
    }
}
