package dev.quota.testkit.contract;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntry;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.window.WindowUsage;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link BillingCache} refills and evictions: a refill never overwrites a valid entry but
 * replaces a foreign or corrupt one; usage that met an absent entry and an eviction block the refill of exactly
 * that entry; evictions drop exactly their entry.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend}; the
 * fixture is {@link BillingCacheFixture}.
 */
public abstract class BillingCacheRefillContract extends BillingCacheFixture {

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheRefillContract() {
    }

    // ------------------------------------------------------------------ puts and evictions

    @Test
    void aRefillDoesNotOverwriteAValidCachedEntry() {
        fill();
        assertThat(cache.put(CacheEntry.of(USER, usd("2")))).isFalse();
        KeyUsage key = new KeyUsage(USER, API_KEY, new WindowUsage(1, clock.instant()), WindowUsage.EMPTY, WindowUsage.EMPTY);
        assertThat(cache.put(CacheEntry.of(key))).isFalse();
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("10"));
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
    }

    @Test
    void aRefillReplacesAForeignOrCorruptEntry() {
        putRawHash(CacheEntryKind.BALANCE, USER, null, with(BalanceEntry.encode(usd("3")), SCHEMA_FIELD, "999"));
        putRawHash(CacheEntryKind.KEY_USAGE, USER, Long.toString(API_KEY),
                with(KeyUsageEntry.encode(KeyUsage.empty(USER, API_KEY)), KeyUsageEntry.USAGE_5H, "x"));
        assertThat(cache.put(CacheEntry.of(USER, usd("2")))).isTrue();
        assertThat(cache.put(CacheEntry.of(KeyUsage.empty(USER, API_KEY)))).isTrue();
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("2"));
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
    }

    @Test
    void usageThatMeetsAnAbsentEntryBlocksItsRefill() {
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(cache.put(CacheEntry.of(USER, usd("10")))).as("loaded before the usage reached the store").isFalse();
        assertThat(cache.put(CacheEntry.of(emptyPlatform()))).isFalse();
        assertThat(cache.put(CacheEntry.of(KeyUsage.empty(USER, API_KEY)))).isFalse();
        assertThat(read(balanceRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE,
                CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(cache.put(CacheEntry.of(activeSubscription()))).as("not touched by balance usage").isTrue();
    }

    @Test
    void subscriptionUsageThatMeetsAnAbsentEntryBlocksItsRefill() {
        assertThat(apply(subscriptionUsage("req-1", usd("1")))).isTrue();
        assertThat(cache.put(CacheEntry.of(activeSubscription()))).isFalse();
        assertThat(cache.put(CacheEntry.of(USER, usd("10")))).as("not touched by subscription usage").isTrue();
    }

    @Test
    void aReplayedRequestIdMarksNothing() {
        cache.put(CacheEntry.of(USER, usd("10")));
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        cache.evict(EntryRef.keyUsage(USER, API_KEY + 1));
        assertThat(apply(usage("req-1", usd("1")))).isFalse();
        assertThat(cache.put(CacheEntry.of(USER, usd("5")))).as("a valid entry stays").isFalse();
        assertThat(read(balanceRequest()).balance()).isEqualTo(usd("9"));
    }

    @Test
    void anEvictionBlocksTheRefillOfItsEntryOnly() {
        fill();
        cache.evict(EntryRef.balance(USER));
        assertThat(cache.put(CacheEntry.of(USER, usd("7")))).isFalse();
        assertThat(read(balanceRequest()).misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(cache.put(CacheEntry.of(USER + 1, usd("7")))).isTrue();
    }

    @Test
    void evictionsDropExactlyTheirEntry() {
        fill();
        cache.put(CacheEntry.of(new PlatformQuotaRecord(USER, "openai", PLATFORM_LIMITS, WindowUsage.EMPTY,
                WindowUsage.EMPTY, WindowUsage.EMPTY)));
        cache.evict(EntryRef.balance(USER));
        cache.evict(EntryRef.platformQuota(USER, PLATFORM));
        cache.evict(EntryRef.keyUsage(USER, API_KEY));
        cache.evict(EntryRef.subscription(USER, SUB_GROUP));
        assertThat(read(balanceRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE,
                CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(read(subscriptionRequest()).misses()).contains(CacheEntryKind.SUBSCRIPTION);
        replaceBalance(usd("1"));
        CheckRequest openai = CheckRequest.builder(USER).platform("openai").build();
        assertThat(read(openai).complete()).isTrue();
    }

    @Test
    void evictingAnAbsentEntryIsANoOp() {
        cache.evict(EntryRef.balance(USER));
        cache.evict(EntryRef.subscription(USER, SUB_GROUP));
        cache.evict(EntryRef.platformQuota(USER, PLATFORM));
        cache.evict(EntryRef.keyUsage(USER, API_KEY));
        assertThat(read(balanceRequest()).complete()).isFalse();
    }

    @Test
    void platformQuotaWithoutEffectiveLimitsIsRejectedAndNotCached() {
        cache.put(CacheEntry.of(USER, usd("1")));
        assertThatThrownBy(() -> cache.put(CacheEntry.of(PlatformQuotaRecord.empty(USER, PLATFORM))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(read(balanceRequest()).misses()).contains(CacheEntryKind.PLATFORM_QUOTA);
    }
}
