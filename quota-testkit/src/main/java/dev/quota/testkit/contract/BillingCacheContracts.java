package dev.quota.testkit.contract;

import org.junit.jupiter.api.Nested;

/**
 * The five {@link dev.quota.core.spi.BillingCache} contracts and the {@link UsageOutboxContract} as {@code @Nested}
 * classes, written once: a backend's test class extends this class and implements the hooks of
 * {@link BillingCacheBackend}, and JUnit runs every
 * contract against it (the nested classes are inherited, and each contract finds the backend among its enclosing
 * test instances).
 *
 * <pre>{@code
 * class MyCacheContractsTest extends BillingCacheContracts {
 *     public BillingCache createCache() { return new MyCache(...); }
 *     public void putRawHash(BillingCache cache, CacheEntryKind kind, long userId, String qualifier,
 *                            Map<String, String> fields) { ... }
 *     public UsageOutbox outboxOf(BillingCache cache) { return ((MyCache) cache).outbox(); }
 * }
 * }</pre>
 */
public abstract class BillingCacheContracts implements BillingCacheBackend {

    /** Creates the holder; subclasses supply the hooks. */
    protected BillingCacheContracts() {
    }

    /** {@link BillingCacheCheckContract}: entries, misses and RPM. */
    @Nested public class CacheChecks extends BillingCacheCheckContract { }
    /** {@link BillingCacheUsageContract}: usage applied once per request id. */
    @Nested public class CacheUsage extends BillingCacheUsageContract { }
    /** {@link BillingCacheRefillContract}: refills, evictions and dirty markers. */
    @Nested public class CacheRefills extends BillingCacheRefillContract { }
    /** {@link BillingCacheReservationContract}: reservations and the holds they count. */
    @Nested public class CacheReservations extends BillingCacheReservationContract { }
    /** {@link BillingCacheHoldLifecycleContract}: settle, release and renew. */
    @Nested public class CacheHoldLifecycle extends BillingCacheHoldLifecycleContract { }
    /** {@link UsageOutboxContract}: what the cache appends to its outbox, claims and acknowledgements. */
    @Nested public class Outbox extends UsageOutboxContract { }
}
