package dev.quota.jdbc;

import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.AccountUsageServiceContract;
import dev.quota.testkit.contract.BalanceStoreContract;
import dev.quota.testkit.contract.PlatformQuotaStoreContract;
import dev.quota.testkit.contract.RollupStoreContract;
import dev.quota.testkit.contract.RpmOverrideStoreContract;
import dev.quota.testkit.contract.StatisticsStoreContract;
import dev.quota.testkit.contract.StatsAggregatorContract;
import dev.quota.testkit.contract.SubscriptionStoreContract;
import dev.quota.testkit.contract.UsageLedgerContract;
import dev.quota.testkit.contract.UsageLogContract;
import dev.quota.testkit.contract.WindowCounterStoreContract;
import java.time.ZoneId;
import org.junit.jupiter.api.Nested;

/**
 * Everything the JDBC adapter must pass on every database, written once: the testkit's contract suites for each
 * port and this module's own suites, as {@code @Nested} classes (in the manner of Bucket4j's
 * {@code AbstractDistributedBucketTest}). One small class per database ({@link H2BackendTest},
 * {@link PostgresBackendTest}, {@link MariaDbBackendTest}) says which database; each nested class runs on an
 * isolated database of its own.
 */
abstract class JdbcBackendSuite {

    /** The database of the concrete class (a static {@link TestDb} registered there). */
    final TestDb testDb;

    /** @param testDb the static {@link TestDb} the concrete class registers */
    JdbcBackendSuite(TestDb testDb) {
        this.testDb = testDb;
    }

    final JdbcQuota fresh(String prefix) {
        return testDb.fresh(prefix);
    }

    // --- the testkit's contracts, one per port ---

    @Nested
    class Balances extends BalanceStoreContract {
        @Override
        protected BalanceStore createStore() {
            return fresh("c_").balances();
        }
    }

    @Nested
    class Subscriptions extends SubscriptionStoreContract {
        @Override
        protected SubscriptionStore createStore() {
            return fresh("c_").subscriptions();
        }
    }

    @Nested
    class PlatformQuotas extends PlatformQuotaStoreContract {
        @Override
        protected PlatformQuotaStore createStore() {
            return fresh("c_").platformQuotas();
        }
    }

    @Nested
    class WindowCounters extends WindowCounterStoreContract {
        @Override
        protected WindowCounterStore createStore() {
            return fresh("c_").windowCounters();
        }
    }

    @Nested
    class RpmOverrides extends RpmOverrideStoreContract {
        @Override
        protected RpmOverrideStore createStore() {
            return fresh("c_").rpmOverrides();
        }
    }

    @Nested
    class Rollups extends RollupStoreContract {
        @Override
        protected RollupStore createStore() {
            return fresh("c_").rollups();
        }
    }

    @Nested
    class Statistics extends StatisticsStoreContract {
        @Override
        protected StatisticsStore createStore() {
            return fresh("c_").statistics();
        }
    }

    @Nested
    class Log extends UsageLogContract {
        @Override
        protected UsageLog createStore() {
            return fresh("c_").usageLog();
        }
    }

    @Nested
    class Ledger extends UsageLedgerContract {
        @Override
        protected LedgerUnderTest createStore() {
            JdbcQuota q = fresh("c_");
            return new LedgerUnderTest(q.ledger(), q.usageLog(), q.balances(), q.subscriptions(), q.platformQuotas(),
                    q.windowCounters());
        }
    }

    /** {@link StatsAggregatorContract} (Asia/Shanghai and America/New_York DST), aggregated in the database. */
    @Nested
    class Aggregation extends StatsAggregatorContract {
        @Override
        protected Backend createBackend(ZoneId zone, MutableClock clock) {
            JdbcQuota quota = testDb.fresh("sa_", zone, clock);
            return new Backend(quota.usageLog(), quota.statistics(), quota.aggregates());
        }
    }

    /** {@link AccountUsageServiceContract} with its statistics read from the JDBC usage log. */
    @Nested
    class AccountUsage extends AccountUsageServiceContract {
        @Override
        protected UsageLog createUsageLog() {
            return fresh("au_").usageLog();
        }
    }

    // --- this module's own suites ---

    @Nested
    class Schema extends SchemaSuite {
    }

    @Nested
    class Flyway extends FlywaySuite {
    }

    @Nested
    class Store extends StoreSuite {
    }

    @Nested
    class InvalidRows extends InvalidRowSuite {
    }

    @Nested
    class UsageLogs extends UsageLogSuite {
    }

    @Nested
    class LedgerStore extends LedgerStoreSuite {
    }

    @Nested
    class LedgerRollups extends LedgerRollupsSuite {
    }

    @Nested
    class Reports extends ReportsSuite {
    }

    @Nested
    class AnalyticsReports extends AnalyticsReportsSuite {
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
    }

    @Nested
    class WriterDurability extends WriterDurabilitySuite {
    }
}
