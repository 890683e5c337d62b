package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.EntryRef;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The entry store of {@link InMemoryBillingCache}: refills, dirty markers, raw keys and reads. */
class CacheEntryStoreTest {

    private static final long USER = 42;

    private final MutableClock clock = MutableClock.startingAt("2025-03-10T08:00:00Z");
    private final CacheEntryStore store = new CacheEntryStore(clock, Duration.ofSeconds(10));

    @Test
    void aRefillWritesOnlyWhenNoValidEntryIsCached() {
        assertThat(store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("1")))).isTrue();
        assertThat(store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("2")))).isFalse();
        store.put(EntryRef.balance(USER), Map.of("sv", "0", BalanceEntry.BALANCE, "100"));
        assertThat(store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("3")))).isTrue();
        assertThat(store.copy(EntryRef.balance(USER))).isEqualTo(BalanceEntry.encode(Money.parse("3")));
    }

    @Test
    void anEvictionRefusesRefillsUntilItsMarkerLapses() {
        store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("1")));
        store.evict(EntryRef.balance(USER));
        assertThat(store.copy(EntryRef.balance(USER))).isNull();
        assertThat(store.isDirty(EntryRef.balance(USER))).isTrue();
        assertThat(store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("2")))).isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.isDirty(EntryRef.balance(USER))).isFalse();
        assertThat(store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("2")))).isTrue();
    }

    @Test
    void rawKeysNormaliseDecimalIdsAndRejectBadQualifiers() {
        assertThat(CacheEntryStore.rawRef(CacheEntryKind.KEY_USAGE, USER, "009")).isEqualTo(EntryRef.keyUsage(USER, 9));
        assertThat(CacheEntryStore.rawRef(CacheEntryKind.BALANCE, USER, "ignored")).isEqualTo(EntryRef.balance(USER));
        assertThatThrownBy(() -> CacheEntryStore.rawRef(CacheEntryKind.SUBSCRIPTION, USER, "seven"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheEntryStore.rawRef(CacheEntryKind.PLATFORM_QUOTA, USER, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadListsUndecodableEntriesAsMissesAndCountsNothing() {
        CacheCheck check = new CacheCheck(CheckRequest.builder(USER).build(), RpmPlan.NONE, clock.instant(),
                ZoneOffset.UTC);
        store.put(EntryRef.balance(USER), Map.of("sv", "999", BalanceEntry.BALANCE, "1"));
        assertThat(store.read(check).misses()).containsExactly(CacheEntryKind.BALANCE);
        store.put(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("1.5")));
        CheckView view = store.read(check);
        assertThat(view.complete()).isTrue();
        assertThat(view.balance()).isEqualTo(Money.parse("1.5"));
        assertThat(view.rpmCounted()).isFalse();
    }

    @Test
    void theDirtyTimeMustBePositive() {
        assertThatThrownBy(() -> new CacheEntryStore(clock, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
