package dev.quota.testkit;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.AccountUsageServiceContract;

/** The {@link AccountUsageServiceContract} on the in-memory usage log. */
class InMemoryAccountUsageServiceContractTest extends AccountUsageServiceContract {

    @Override
    protected UsageLog createUsageLog() {
        return new InMemoryUsageLog();
    }
}
