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
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.limit.KeyModelUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Every kind: an entry's own hash decodes, under its own ref, back to the entry. */
    private static List<CacheEntry> oneOfEachKind() {
        return List.of(CacheEntry.of(7, Money.parse("1.5")),
                CacheEntry.of(new SubscriptionState(7, 3, SubscriptionStatus.ACTIVE, AT, WindowUsage.EMPTY,
                        WindowUsage.EMPTY, WindowUsage.EMPTY)),
                CacheEntry.of(PlatformQuotaRecord.empty(7, "anthropic").withLimits(PeriodLimits.UNLIMITED)),
                CacheEntry.of(KeyUsage.empty(7, 11)),
                CacheEntry.of(KeyModelUsage.empty(7, 11, "claude")));
    }

    @Test
    void a_ref_decodes_the_hash_stored_under_it_and_nothing_else() {
        for (CacheEntry entry : oneOfEachKind()) {
            assertThat(entry.ref().decode(entry.encode())).as(entry.ref().toString()).contains(entry);
            assertThat(entry.ref().decode(null)).as("absent").isEmpty();
            Map<String, String> otherVersion = new HashMap<>(entry.encode());
            otherVersion.put("sv", "999");
            assertThat(entry.ref().decode(otherVersion)).as("another schema version").isEmpty();
        }
    }

    @Test
    void the_ref_a_request_reads_is_its_users_entry_for_its_group_platform_key_and_model() {
        CheckRequest request = CheckRequest.builder(7)
                .userRpmLimit(Limit.unlimited())
                .apiKey(11, KeyLimits.UNLIMITED).modelCap("claude", KeyLimits.UNLIMITED)
                .subscriptionGroup(3, PeriodLimits.UNLIMITED, Limit.unlimited()).subscribed(true)
                .platform("anthropic").noGroupRpmOverride().build();
        assertThat(EntryRef.of(CacheEntryKind.BALANCE, request)).isEqualTo(EntryRef.balance(7));
        assertThat(EntryRef.of(CacheEntryKind.SUBSCRIPTION, request)).isEqualTo(EntryRef.subscription(7, 3));
        assertThat(EntryRef.of(CacheEntryKind.PLATFORM_QUOTA, request))
                .isEqualTo(EntryRef.platformQuota(7, "anthropic"));
        assertThat(EntryRef.of(CacheEntryKind.KEY_USAGE, request)).isEqualTo(EntryRef.keyUsage(7, 11));
        assertThat(EntryRef.of(CacheEntryKind.KEY_MODEL_USAGE, request))
                .isEqualTo(EntryRef.keyModelUsage(7, 11, "claude"));
    }

    @Test
    void a_view_builder_reads_each_entry_under_the_requests_identity_and_lists_the_rest_as_misses() {
        List<CacheEntry> all = oneOfEachKind();
        CheckRequest request = CheckRequest.builder(7).userRpmLimit(Limit.unlimited())
                .apiKey(11, KeyLimits.UNLIMITED).modelCap("claude", KeyLimits.UNLIMITED)
                .subscriptionGroup(3, PeriodLimits.UNLIMITED, Limit.unlimited()).subscribed(true)
                .platform("anthropic").noGroupRpmOverride().build();
        CheckView.Builder builder = CheckView.builder();
        for (CacheEntry entry : all.subList(0, 3)) {
            assertThat(builder.read(entry.ref().kind(), request, entry.encode())).isTrue();
        }
        assertThat(builder.read(CacheEntryKind.KEY_USAGE, request, null)).as("absent").isFalse();
        Map<String, String> otherVersion = new HashMap<>(all.get(4).encode());
        otherVersion.put("sv", "999");
        assertThat(builder.read(CacheEntryKind.KEY_MODEL_USAGE, request, otherVersion)).isFalse();
        CheckView view = builder.build(true, 4, 5);
        assertThat(view.balance()).isEqualTo(Money.parse("1.5"));
        assertThat(view.subscription()).isEqualTo(((CacheEntry.Subscription) all.get(1)).state());
        assertThat(view.platformQuota()).isEqualTo(((CacheEntry.PlatformQuota) all.get(2)).quota());
        assertThat(view.keyUsage()).isNull();
        assertThat(view.keyModelUsage()).isNull();
        assertThat(view.misses()).containsExactlyInAnyOrder(CacheEntryKind.KEY_USAGE, CacheEntryKind.KEY_MODEL_USAGE);
        assertThat(view.rpmCounted()).isTrue();
        assertThat(view.groupRpmCount()).isEqualTo(4);
        assertThat(view.userRpmCount()).isEqualTo(5);

        CheckView.Builder keys = CheckView.builder();
        assertThat(keys.read(CacheEntryKind.KEY_USAGE, request, all.get(3).encode())).isTrue();
        assertThat(keys.read(CacheEntryKind.KEY_MODEL_USAGE, request, all.get(4).encode())).isTrue();
        CheckView found = keys.miss(CacheEntryKind.BALANCE).build(false, 0, 0);
        assertThat(found.keyUsage()).isEqualTo(KeyUsage.empty(7, 11));
        assertThat(found.keyModelUsage()).isEqualTo(KeyModelUsage.empty(7, 11, "claude"));
        assertThat(found.misses()).containsExactly(CacheEntryKind.BALANCE);
    }

    @Test
    void a_view_builder_gives_what_it_reads_the_requests_identity() {
        CheckRequest otherUser = CheckRequest.builder(8).userRpmLimit(Limit.unlimited())
                .apiKey(11, KeyLimits.UNLIMITED).platform("anthropic").noGroupRpmOverride().build();
        CheckView.Builder builder = CheckView.builder();
        // a key usage hash carries no owner, so it decodes for any user; the request's identity is what it gets
        assertThat(builder.read(CacheEntryKind.KEY_USAGE, otherUser, KeyUsageEntry.encode(KeyUsage.empty(7, 11))))
                .isTrue();
        assertThat(builder.build(false, 0, 0).keyUsage().userId()).isEqualTo(8);
    }
}
