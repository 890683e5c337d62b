package dev.quota.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.quota.core.Money;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CacheEntryTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void each_entry_names_its_ref_and_encodes_with_its_kinds_codec() {
        CacheEntry balance = CacheEntry.of(7, Money.parse("1.5"));
        assertThat(balance.ref()).isEqualTo(EntryRef.balance(7));
        assertThat(balance.encode()).isEqualTo(BalanceEntry.encode(Money.parse("1.5")));
        assertThat(balance.schemaVersion()).isEqualTo(BalanceEntry.SCHEMA_VERSION);

        SubscriptionState sub = new SubscriptionState(7, 3, SubscriptionStatus.ACTIVE, AT, WindowUsage.EMPTY,
                WindowUsage.EMPTY, WindowUsage.EMPTY);
        CacheEntry subscription = CacheEntry.of(sub);
        assertThat(subscription.ref()).isEqualTo(EntryRef.subscription(7, 3));
        assertThat(subscription.encode()).isEqualTo(SubscriptionEntry.encode(sub));
        assertThat(subscription.schemaVersion()).isEqualTo(SubscriptionEntry.SCHEMA_VERSION);

        PlatformQuotaRecord pq = PlatformQuotaRecord.empty(7, "anthropic").withLimits(PeriodLimits.UNLIMITED);
        CacheEntry platform = CacheEntry.of(pq);
        assertThat(platform.ref()).isEqualTo(EntryRef.platformQuota(7, "anthropic"));
        assertThat(platform.encode()).isEqualTo(PlatformQuotaEntry.encode(pq));
        assertThat(platform.schemaVersion()).isEqualTo(PlatformQuotaEntry.SCHEMA_VERSION);

        KeyUsage usage = KeyUsage.empty(7, 11);
        CacheEntry key = CacheEntry.of(usage);
        assertThat(key.ref()).isEqualTo(EntryRef.keyUsage(7, 11));
        assertThat(key.encode()).isEqualTo(KeyUsageEntry.encode(usage));
        assertThat(key.schemaVersion()).isEqualTo(KeyUsageEntry.SCHEMA_VERSION);
    }

    @Test
    void refs_are_values_that_tell_their_kind_and_owner() {
        assertThat(EntryRef.subscription(7, 3)).isEqualTo(EntryRef.subscription(7, 3))
                .isNotEqualTo(EntryRef.subscription(7, 4)).isNotEqualTo(EntryRef.keyUsage(7, 3));
        assertThat(EntryRef.balance(7).kind()).isEqualTo(CacheEntryKind.BALANCE);
        assertThat(EntryRef.subscription(7, 3).kind()).isEqualTo(CacheEntryKind.SUBSCRIPTION);
        assertThat(EntryRef.platformQuota(7, "x").kind()).isEqualTo(CacheEntryKind.PLATFORM_QUOTA);
        assertThat(EntryRef.keyUsage(8, 3).kind()).isEqualTo(CacheEntryKind.KEY_USAGE);
        assertThat(EntryRef.keyUsage(8, 3).userId()).isEqualTo(8);
    }

    @Test
    void null_values_are_refused() {
        assertThatNullPointerException().isThrownBy(() -> CacheEntry.of(7, null));
        assertThatNullPointerException().isThrownBy(() -> CacheEntry.of((KeyUsage) null));
        assertThatNullPointerException().isThrownBy(() -> EntryRef.platformQuota(7, null));
    }
}
