package dev.quota.testkit;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.testkit.contract.UsageOutboxContract;

class InMemoryUsageOutboxContractTest extends UsageOutboxContract {

    @Override
    protected BillingCache createCache() {
        return new InMemoryBillingCache();
    }

    @Override
    protected UsageOutbox outboxOf(BillingCache cache) {
        return ((InMemoryBillingCache) cache).outbox();
    }
}
