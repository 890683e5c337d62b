package dev.quota.testkit;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.testkit.contract.BillingCacheContract;
import java.util.Map;

class InMemoryBillingCacheContractTest extends BillingCacheContract {

    private InMemoryBillingCache cache;

    @Override
    protected BillingCache createCache() {
        cache = new InMemoryBillingCache();
        return cache;
    }

    @Override
    protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        cache.putRaw(kind, userId, qualifier, fields);
    }
}
