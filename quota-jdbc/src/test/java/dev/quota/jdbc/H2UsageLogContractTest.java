package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.UsageLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared {@link UsageLogContract} on an in-memory H2 database (always runs). */
class H2UsageLogContractTest extends UsageLogContract {

    @RegisterExtension
    static final TestDb DB = TestDb.of(Dialect.H2);

    @Override
    protected UsageLog createLog() {
        return DB.fresh("c_").usageLog();
    }
}
