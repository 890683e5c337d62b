package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.Hold;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test helpers of {@link InMemoryBillingCache}; its port behaviour is covered by the contract. */
class InMemoryBillingCacheTest {

    private static final long USER = 42;
    private static final Instant NOW = Instant.parse("2025-03-10T08:00:30Z");

    private final InMemoryBillingCache cache = new InMemoryBillingCache();

    @Test
    void entriesAreStoredInTheirEncodedForm() {
        cache.put(CacheEntry.of(USER, Money.parse("1.5")));
        assertThat(cache.rawEntry(CacheEntryKind.BALANCE, USER, null)).contains(BalanceEntry.encode(Money.parse("1.5")));
        assertThat(cache.cachedBalance(USER)).contains(Money.parse("1.5"));
    }

    @Test
    void aRawEntryOfAnotherVersionIsStoredButDecodesToNothing() {
        cache.putRaw(CacheEntryKind.BALANCE, USER, null, Map.of("sv", "0", BalanceEntry.BALANCE, "100"));
        assertThat(cache.rawEntry(CacheEntryKind.BALANCE, USER, null)).isPresent();
        assertThat(cache.cachedBalance(USER)).isEmpty();
    }

    @Test
    void anEmptyRawHashRemovesTheEntry() {
        cache.put(CacheEntry.of(USER, Money.parse("1")));
        cache.putRaw(CacheEntryKind.BALANCE, USER, null, Map.of());
        assertThat(cache.rawEntry(CacheEntryKind.BALANCE, USER, null)).isEmpty();
    }

    @Test
    void rawQualifiersAreTheIdsInDecimalOrThePlatform() {
        cache.put(CacheEntry.of(KeyUsage.empty(USER, 9)));
        assertThat(cache.rawEntry(CacheEntryKind.KEY_USAGE, USER, "9")).isPresent();
        assertThat(cache.cachedKeyUsage(USER, 9)).contains(KeyUsage.empty(USER, 9));
        assertThatThrownBy(() -> cache.rawEntry(CacheEntryKind.KEY_USAGE, USER, "nine"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.rawEntry(CacheEntryKind.PLATFORM_QUOTA, USER, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksCountIntoTheSharedRpmCounter() {
        InMemoryRpmCounter rpm = new InMemoryRpmCounter();
        InMemoryBillingCache shared = new InMemoryBillingCache(new Faults(), rpm);
        shared.put(CacheEntry.of(USER, Money.parse("1")));
        CheckRequest request = CheckRequest.builder(USER).group(7, Limit.of(10)).build();
        shared.check(new CacheCheck(request, new RpmPlan(Limit.of(10), null), NOW, ZoneOffset.UTC));
        assertThat(rpm.count(USER, 7L, QuotaWindows.RPM.bucketStart(NOW))).isEqualTo(1);
        assertThat(shared.rpmCounter()).isSameAs(rpm);
    }

    @Test
    void holdsAndAppliedRequestIdsCanBeInspected() {
        cache.put(CacheEntry.of(USER, Money.parse("10")));
        Hold hold = new Hold("h1", Money.parse("1"), NOW.plus(Duration.ofMinutes(5)));
        cache.reserve(new CacheCheck(CheckRequest.builder(USER).build(), RpmPlan.NONE, NOW, ZoneOffset.UTC), hold);
        assertThat(cache.holds(USER)).containsExactly(hold);
        assertThat(cache.holds(USER + 1)).isEmpty();
        assertThat(cache.hasApplied("r1")).isFalse();
        cache.applyUsage(dev.quota.core.UsageEvent.builder("r1", USER).occurredAt(NOW).build(), NOW, ZoneOffset.UTC);
        assertThat(cache.hasApplied("r1")).isTrue();
    }

    @Test
    void clearDropsEntriesHoldsAndAppliedIds() {
        cache.put(CacheEntry.of(USER, Money.parse("10")));
        cache.applyUsage(dev.quota.core.UsageEvent.builder("r1", USER).occurredAt(NOW).build(), NOW, ZoneOffset.UTC);
        cache.clear();
        assertThat(cache.cachedBalance(USER)).isEmpty();
        assertThat(cache.hasApplied("r1")).isFalse();
    }

    @Test
    void theOutboxIsClearedWithTheCacheAndInspectableByKey() {
        cache.applyUsage(dev.quota.core.UsageEvent.builder("r1", USER).occurredAt(NOW).build(), NOW, ZoneOffset.UTC);
        assertThat(cache.hasApplied(new dev.quota.core.usage.UsageKey(USER, "r1"))).isTrue();
        assertThat(cache.outbox().contains(new dev.quota.core.usage.UsageKey(USER, "r1"))).isTrue();
        assertThat(cache.outbox().contains(new dev.quota.core.usage.UsageKey(USER + 1, "r1"))).isFalse();
        cache.clear();
        assertThat(cache.outbox().size()).isZero();
    }

    @Test
    void aFailedApplyAppendsNothingAndTheOutboxObeysTheSameFaults() {
        cache.faults().failNext(1);
        assertThatThrownBy(() -> cache.applyUsage(
                dev.quota.core.UsageEvent.builder("r1", USER).occurredAt(NOW).build(), NOW, ZoneOffset.UTC))
                .isInstanceOf(dev.quota.core.BackendUnavailableException.class);
        assertThat(cache.outbox().size()).isZero();
        cache.faults().failNext(1);
        assertThatThrownBy(() -> cache.outbox().size())
                .isInstanceOf(dev.quota.core.BackendUnavailableException.class);
    }
}
