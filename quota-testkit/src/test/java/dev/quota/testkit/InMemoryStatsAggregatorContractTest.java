package dev.quota.testkit;

import dev.quota.core.spi.UsageAggregates;
import dev.quota.testkit.contract.StatsAggregatorContract;
import java.time.ZoneId;

/** {@link StatsAggregatorContract} on the in-memory fakes with the portable {@link UsageAggregates#over}. */
class InMemoryStatsAggregatorContractTest extends StatsAggregatorContract {

    @Override
    protected Backend createBackend(ZoneId zone, MutableClock clock) {
        InMemoryQuota quota = InMemoryQuota.create(clock, zone);
        return new Backend(quota.usageLog(), quota.statistics(), UsageAggregates.over(quota.usageLog()));
    }
}
