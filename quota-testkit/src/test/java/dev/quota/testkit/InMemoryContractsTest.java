package dev.quota.testkit;

import dev.quota.core.UsageSinks;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.contract.AccountUsageServiceContract;
import dev.quota.testkit.contract.BalanceStoreContract;
import dev.quota.testkit.contract.BillingCacheContracts;
import dev.quota.testkit.contract.BillingAdminContract;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;
import dev.quota.testkit.contract.RollupStoreContract;
import dev.quota.testkit.contract.RpmCounterContract;
import dev.quota.testkit.contract.RpmOverrideStoreContract;
import dev.quota.testkit.contract.StatisticsStoreContract;
import dev.quota.testkit.contract.StatsAggregatorContract;
import dev.quota.testkit.contract.SubscriptionStoreContract;
import dev.quota.testkit.contract.UpstreamUsageFetcherContract;
import dev.quota.testkit.contract.UsageLedgerContract;
import dev.quota.testkit.contract.UsageLogContract;
import dev.quota.testkit.contract.UsageSinkContract;
import dev.quota.testkit.contract.WindowCounterStoreContract;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite of the testkit on the in-memory fakes (and the core's direct usage sink and the fake
 * upstream fetcher), one {@code @Nested} class per port. The adapters run the same suites from one class per
 * backend.
 */
class InMemoryContractsTest extends BillingCacheContracts {

    /** The {@link AccountUsageServiceContract} on the in-memory usage log. */
    @Nested
    class AccountUsage extends AccountUsageServiceContract {
        @Override
        protected UsageLog createUsageLog() {
            return new InMemoryUsageLog();
        }
    }

    @Nested
    class Balances extends BalanceStoreContract {
        @Override
        protected BalanceStore createStore() {
            return new InMemoryBalanceStore();
        }
    }

    @Nested
    class Admin extends BillingAdminContract {
        @Override
        protected Backends createBackends() {
            InMemoryQuota q = InMemoryQuota.create(MutableClock.startingAt("2026-11-18T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
            return Backends.of(q::gateBuilder, q.balances(), q.subscriptions(), q.platformQuotas(), q.clock(),
                    () -> { });
        }
    }

    /** The cache hook of the cache contracts ({@link BillingCacheContracts}): a fresh in-memory cache. */
    @Override
    public BillingCache createCache() {
        return new InMemoryBillingCache();
    }

    /** The outbox hook of the outbox contract: the in-memory cache's own. */
    @Override
    public UsageOutbox outboxOf(BillingCache cache) {
        return ((InMemoryBillingCache) cache).outbox();
    }

    /** The raw-entry hook of the cache contracts: {@link InMemoryBillingCache#putRaw} on the test's cache. */
    @Override
    public void putRawHash(BillingCache cache, CacheEntryKind kind, long userId, String qualifier,
                           Map<String, String> fields) {
        ((InMemoryBillingCache) cache).putRaw(kind, userId, qualifier, fields);
    }

    @Nested
    class PlatformQuotas extends PlatformQuotaStoreContract {
        @Override
        protected PlatformQuotaStore createStore() {
            return new InMemoryPlatformQuotaStore();
        }
    }

    @Nested
    class Rollups extends RollupStoreContract {
        @Override
        protected RollupStore createStore() {
            return new InMemoryRollupStore();
        }
    }

    @Nested
    class Rpm extends RpmCounterContract {
        @Override
        protected RpmCounter createStore() {
            return new InMemoryRpmCounter();
        }
    }

    @Nested
    class RpmOverrides extends RpmOverrideStoreContract {
        @Override
        protected RpmOverrideStore createStore() {
            return new InMemoryRpmOverrideStore();
        }
    }

    @Nested
    class Statistics extends StatisticsStoreContract {
        @Override
        protected StatisticsStore createStore() {
            return new InMemoryStatisticsStore();
        }
    }

    /** {@link StatsAggregatorContract} on the in-memory fakes with the portable {@link UsageAggregates#over}. */
    @Nested
    class Aggregation extends StatsAggregatorContract {
        @Override
        protected Backend createBackend(ZoneId zone, MutableClock clock) {
            InMemoryQuota quota = InMemoryQuota.create(clock, zone);
            return new Backend(quota.usageLog(), quota.statistics(), UsageAggregates.over(quota.usageLog()));
        }
    }

    @Nested
    class Subscriptions extends SubscriptionStoreContract {
        @Override
        protected SubscriptionStore createStore() {
            return new InMemorySubscriptionStore();
        }
    }

    @Nested
    class Ledger extends UsageLedgerContract {
        @Override
        protected LedgerUnderTest createStore() {
            InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
            return new LedgerUnderTest(ledger, ledger.log(), ledger.balances(), ledger.subscriptions(),
                    ledger.platformQuotas(), ledger.windowCounters());
        }
    }

    @Nested
    class Log extends UsageLogContract {
        @Override
        protected UsageLog createStore() {
            return new InMemoryUsageLog();
        }
    }

    @Nested
    class Sink extends UsageSinkContract {
        @Override
        protected UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone) {
            return InMemoryUsageSink.forwardingTo(ledger, clock, zone);
        }
    }

    @Nested
    class WindowCounters extends WindowCounterStoreContract {
        @Override
        protected WindowCounterStore createStore() {
            return new InMemoryWindowCounterStore();
        }
    }

    /** The core's direct sink passes the sink contract on the in-memory ledger. */
    @Nested
    class DirectSink extends UsageSinkContract {
        @Override
        protected UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone) {
            return UsageSinks.direct(ledger, clock, zone);
        }
    }

    @Nested
    class UpstreamFetcher extends UpstreamUsageFetcherContract {
        @Override
        protected UpstreamUsageFetcher createFetcher(Map<Long, List<UpstreamUsage>> windowsByAccount) {
            FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher();
            windowsByAccount.forEach(fetcher::respond);
            return fetcher;
        }

        @Override
        protected UpstreamUsageFetcher createFailingFetcher() {
            FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher();
            fetcher.faults().failAlways();
            return fetcher;
        }
    }
}
