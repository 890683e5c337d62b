package dev.quota.testkit;

import dev.quota.core.spi.UsageLog;
import dev.quota.testkit.contract.UsageLogContract;

class InMemoryUsageLogContractTest extends UsageLogContract {

    @Override
    protected UsageLog createLog() {
        return new InMemoryUsageLog();
    }
}
