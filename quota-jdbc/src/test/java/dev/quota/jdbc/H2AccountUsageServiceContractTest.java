package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.AccountUsageServiceContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared {@link AccountUsageServiceContract} with its statistics read from the JDBC usage log on
 * an in-memory H2 database (always runs).
 */
class H2AccountUsageServiceContractTest extends AccountUsageServiceContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected UsageLog createUsageLog() {
        return DB.fresh("au_").usageLog();
    }
}
