package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.spi.EntryRef;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Usage applied to the entries of {@link InMemoryBillingCache}: once per key, outbox in the same step. */
class CacheUsageApplierTest {

    private static final long USER = 42;

    private final MutableClock clock = MutableClock.startingAt("2025-03-10T08:00:00Z");
    private final CacheEntryStore store = new CacheEntryStore(clock, Duration.ofSeconds(10));
    private final InMemoryUsageOutbox outbox = new InMemoryUsageOutbox();
    private final CacheUsageApplier applier = new CacheUsageApplier(store, outbox);

    private UsageEvent usage(String requestId, String usd) {
        return UsageEvent.builder(requestId, USER).totalCost(Money.parse(usd)).actualCost(Money.parse(usd))
                .occurredAt(clock.instant()).build();
    }

    @Test
    void usageIsAppliedAndAppendedToTheOutboxOncePerKey() {
        store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("10")));
        assertThat(applier.apply(usage("req-1", "1"), clock.instant(), ZoneOffset.UTC)).isTrue();
        assertThat(applier.apply(usage("req-1", "1"), clock.instant(), ZoneOffset.UTC)).isFalse();
        assertThat(BalanceEntry.decode(store.copy(EntryRef.balance(USER)))).contains(Money.parse("9"));
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(applier.hasApplied(new UsageKey(USER, "req-1"))).isTrue();
        assertThat(applier.hasApplied("req-1")).isTrue();
        assertThat(applier.hasApplied("req-2")).isFalse();
    }

    @Test
    void usageThatMeetsAnAbsentEntryMarksItDirtyAndCreatesNothing() {
        assertThat(applier.apply(usage("req-1", "1"), clock.instant(), ZoneOffset.UTC)).isTrue();
        assertThat(store.copy(EntryRef.balance(USER))).isNull();
        assertThat(store.isDirty(EntryRef.balance(USER))).isTrue();
    }

    @Test
    void clearForgetsTheAppliedKeys() {
        applier.apply(usage("req-1", "1"), clock.instant(), ZoneOffset.UTC);
        applier.clear();
        assertThat(applier.hasApplied("req-1")).isFalse();
        assertThat(applier.apply(usage("req-1", "1"), clock.instant(), ZoneOffset.UTC)).isTrue();
    }
}
