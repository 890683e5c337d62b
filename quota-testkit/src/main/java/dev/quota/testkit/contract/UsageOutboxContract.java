package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UsageOutbox} passes together with the {@link BillingCache} that appends to it:
 * usage newly applied by {@link BillingCache#applyUsage} or {@link BillingCache#settle} is appended in the same
 * step, exactly (every field of the event), keyed by {@link UsageKey} and scored at the call's {@code now}; a
 * replay appends nothing; {@link UsageOutbox#claimStale} returns the oldest entries appended before
 * {@code olderThan} and leases them, so that concurrent drainers never claim one entry twice;
 * {@link UsageOutbox#acknowledge} deletes by key.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend} (as
 * {@link BillingCacheContracts} does), whose {@link BillingCacheBackend#outboxOf} names the outbox. Time comes
 * from a {@link MutableClock} passed as {@code now}; nothing sleeps.
 */
@ExtendWith(EnclosingCacheBackend.class)
public abstract class UsageOutboxContract {

    /** The user every test works with. */
    protected static final long USER = 42;
    private static final Duration LEASE = Duration.ofSeconds(30);

    private BillingCache cache;
    private UsageOutbox outbox;
    private MutableClock clock;

    /** Creates the contract; the enclosing {@link BillingCacheBackend} supplies the cache and its outbox. */
    protected UsageOutboxContract() {
    }

    @BeforeEach
    void createOutboxUnderTest(BillingCacheBackend backend) {
        cache = backend.createCache();
        outbox = backend.outboxOf(cache);
        clock = MutableClock.startingAt("2025-03-12T06:30:00.123Z");
    }

    // ---------------------------------------------------------------- appending

    @Test
    void appliedUsageIsAppendedWithEveryFieldIntact() {
        UsageEvent rich = UsageEvent.builder("req-ü-模型-😀:x", USER).apiKeyId(Long.MAX_VALUE).accountId(3)
                .groupId(Long.MAX_VALUE - 1).platform("anthropic").model("claude-sonnet-4 «ü» 模型 😀")
                .tokens(1_000_000_000L, 0, 7, 123_456_789L).totalCost(Money.ofNanos(Long.MAX_VALUE))
                .actualCost(Money.ofNanos(9_007_199_254_740_993L))
                .costParts(Money.ofNanos(1), Money.ofNanos(0), Money.ofNanos(9_007_199_254_740_993L),
                        Money.ofNanos(Long.MAX_VALUE - 7))
                .httpStatus(529).errorMessage("overloaded: \"quoted\" | pipes ; \\ back \n new line \t tab")
                .responseTimeMs(Long.MAX_VALUE).attempts(Integer.MAX_VALUE)
                .occurredAt(Instant.parse("2025-03-12T06:29:59.987Z")).build();
        UsageEvent sparse = UsageEvent.builder("req-sparse", USER + 1).totalCost(Money.ZERO)
                .occurredAt(Instant.parse("1970-01-01T00:00:00Z")).build();

        assertThat(cache.applyUsage(rich, clock.instant(), SHANGHAI)).isTrue();
        assertThat(cache.applyUsage(sparse, clock.instant(), SHANGHAI)).isTrue();

        assertThat(outbox.size()).isEqualTo(2);
        List<UsageEvent> claimed = claimAllBefore(clock.instant().plusMillis(1));
        assertThat(claimed).containsExactlyInAnyOrder(rich, sparse);
        UsageEvent back = claimed.stream().filter(e -> e.userId() == USER).findFirst().orElseThrow();
        assertThat(back).usingRecursiveComparison().isEqualTo(rich);
    }

    @Test
    void entriesAreScoredAtTheCallersNowNotTheEventTime() {
        Instant now = clock.instant();
        cache.applyUsage(event("r1", now.minus(Duration.ofHours(1))), now, SHANGHAI);

        assertThat(outbox.claimStale(now, now, LEASE, 10)).isEmpty();
        assertThat(outbox.claimStale(now.plusMillis(1), now, LEASE, 10)).extracting(UsageEvent::requestId)
                .containsExactly("r1");
    }

    @Test
    void usageAppliedToAColdCacheIsAppendedToo() {
        // No entry is cached: nothing is charged, but the marker is set and the event must not be lost.
        assertThat(cache.applyUsage(event("r1", clock.instant()), clock.instant(), SHANGHAI)).isTrue();

        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void aReplayAppendsNothingEvenAfterTheEntryWasAcknowledged() {
        UsageEvent e = event("r1", clock.instant());
        cache.applyUsage(e, clock.instant(), SHANGHAI);
        assertThat(cache.applyUsage(e, clock.instant(), SHANGHAI)).isFalse();
        assertThat(outbox.size()).isEqualTo(1);

        outbox.acknowledge(List.of(UsageKey.of(e)));
        assertThat(cache.applyUsage(e, clock.instant(), SHANGHAI)).isFalse();

        assertThat(outbox.size()).isZero();
    }

    @Test
    void theSameRequestIdOfTwoUsersIsTwoEntries() {
        UsageEvent first = event("shared", clock.instant());
        UsageEvent second = UsageEvent.builder("shared", USER + 1).totalCost(usd("0.5"))
                .occurredAt(clock.instant()).build();

        assertThat(cache.applyUsage(first, clock.instant(), SHANGHAI)).isTrue();
        assertThat(cache.applyUsage(second, clock.instant(), SHANGHAI)).isTrue();
        assertThat(outbox.size()).isEqualTo(2);

        outbox.acknowledge(List.of(UsageKey.of(first)));
        assertThat(claimAllBefore(clock.instant().plusMillis(1))).containsExactly(second);
    }

    @Test
    void settlingAHoldAppendsItsUsageOnce() {
        cache.put(CacheEntry.of(USER, usd("10")));
        CheckRequest request = CheckRequest.builder(USER).build();
        Hold hold = new Hold("h1", usd("1"), clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(cache.reserve(new CacheCheck(request, RpmPlan.NONE, clock.instant(), SHANGHAI), hold)
                .admitted()).isTrue();
        assertThat(outbox.size()).isZero();

        UsageEvent e = event("r-hold", clock.instant());
        assertThat(cache.settle("h1", e, clock.instant(), SHANGHAI)).isTrue();
        assertThat(cache.settle("h1", e, clock.instant(), SHANGHAI)).isFalse();

        assertThat(claimAllBefore(clock.instant().plusMillis(1))).containsExactly(e);
    }

    @Test
    void loggedOnlyUsageIsAppended() {
        UsageEvent e = UsageEvent.builder("r-none", USER).billingMode(BillingMode.NONE).apiKeyId(9)
                .totalCost(usd("0.25")).occurredAt(clock.instant()).build();

        assertThat(cache.applyUsage(e, clock.instant(), SHANGHAI)).isTrue();

        assertThat(claimAllBefore(clock.instant().plusMillis(1))).containsExactly(e);
    }

    @Test
    void concurrentAppliesOfOneRequestAppendOneEntry() {
        UsageEvent e = event("r-race", clock.instant());
        AtomicInteger applied = new AtomicInteger();
        Race.run(Race.THREADS, 4, (thread, op) -> {
            if (cache.applyUsage(e, clock.instant(), SHANGHAI)) {
                applied.incrementAndGet();
            }
        });

        assertThat(applied).hasValue(1);
        assertThat(outbox.size()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- claiming

    @Test
    void claimReturnsTheOldestFirstUpToMax() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UsageEvent e = event("r" + i, clock.instant());
            events.add(e);
            cache.applyUsage(e, clock.instant(), SHANGHAI);
            clock.advance(Duration.ofMillis(10));
        }
        Instant now = clock.instant();

        assertThat(outbox.claimStale(now, now, LEASE, 3)).containsExactlyElementsOf(events.subList(0, 3));
        assertThat(outbox.claimStale(now, now, LEASE, 3)).containsExactlyElementsOf(events.subList(3, 5));
        assertThat(outbox.claimStale(now, now, LEASE, 3)).isEmpty();
        assertThat(outbox.size()).isEqualTo(5);
    }

    @Test
    void aClaimedEntryIsSkippedUntilItsLeaseEndsAndStaysUntilAcknowledged() {
        UsageEvent e = event("r1", clock.instant());
        cache.applyUsage(e, clock.instant(), SHANGHAI);
        clock.advance(Duration.ofMinutes(1));
        Instant claimedAt = clock.instant();

        assertThat(outbox.claimStale(claimedAt, claimedAt, LEASE, 10)).containsExactly(e);
        assertThat(outbox.claimStale(claimedAt, claimedAt, LEASE, 10)).isEmpty();
        // Still leased: an idle time shorter than the lease does not see it yet.
        clock.advance(LEASE.minusMillis(1));
        assertThat(outbox.claimStale(clock.instant(), clock.instant(), LEASE, 10)).isEmpty();
        // The lease has ended (the claimer died): the next drainer takes it.
        clock.advance(Duration.ofMillis(2));
        assertThat(outbox.claimStale(clock.instant(), clock.instant(), LEASE, 10)).containsExactly(e);
        assertThat(outbox.size()).isEqualTo(1);

        outbox.acknowledge(List.of(UsageKey.of(e)));
        clock.advance(LEASE.multipliedBy(2));
        assertThat(outbox.claimStale(clock.instant(), clock.instant(), LEASE, 10)).isEmpty();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void concurrentDrainersNeverClaimAnEntryTwice() {
        int count = 60;
        Set<UsageEvent> all = new HashSet<>();
        for (int i = 0; i < count; i++) {
            UsageEvent e = event("r" + i, clock.instant());
            all.add(e);
            cache.applyUsage(e, clock.instant(), SHANGHAI);
        }
        clock.advance(Duration.ofSeconds(1));
        Instant now = clock.instant();
        ConcurrentLinkedQueue<UsageEvent> claimed = new ConcurrentLinkedQueue<>();

        // 8 threads x 8 claims of at most 2: enough claims to take every entry, each only once.
        Race.run(8, 8, (thread, op) -> claimed.addAll(outbox.claimStale(now, now, LEASE, 2)));

        assertThat(claimed).hasSize(count).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(all);
        assertThat(outbox.size()).isEqualTo(count);
    }

    // ---------------------------------------------------------------- acknowledging, bad input

    @Test
    void acknowledgeDeletesByKeyAndIgnoresUnknownKeys() {
        UsageEvent a = event("a", clock.instant());
        UsageEvent b = event("b", clock.instant());
        cache.applyUsage(a, clock.instant(), SHANGHAI);
        cache.applyUsage(b, clock.instant(), SHANGHAI);

        outbox.acknowledge(List.of());
        outbox.acknowledge(List.of(UsageKey.of(a), new UsageKey(USER, "unknown"), new UsageKey(USER + 5, "b")));

        assertThat(outbox.size()).isEqualTo(1);
        assertThat(claimAllBefore(clock.instant().plusMillis(1))).containsExactly(b);
    }

    @Test
    void invalidClaimsAreRefusedAndChangeNothing() {
        UsageEvent e = event("r1", clock.instant());
        cache.applyUsage(e, clock.instant(), SHANGHAI);
        Instant later = clock.instant().plusSeconds(1);

        assertThatThrownBy(() -> outbox.claimStale(later, later, LEASE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.claimStale(later, later, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.claimStale(later, later, Duration.ofSeconds(-1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.claimStale(null, later, LEASE, 10)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> outbox.claimStale(later, null, LEASE, 10)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> outbox.acknowledge(null)).isInstanceOf(NullPointerException.class);

        assertThat(outbox.claimStale(later, later, LEASE, 10)).containsExactly(e);
    }

    // ---------------------------------------------------------------- helpers

    /** @return the test's clock */
    protected MutableClock clock() {
        return clock;
    }

    private List<UsageEvent> claimAllBefore(Instant olderThan) {
        return outbox.claimStale(olderThan, clock.instant(), LEASE, 1000);
    }

    private static UsageEvent event(String requestId, Instant at) {
        return UsageEvent.builder(requestId, USER).platform("anthropic").model("claude").totalCost(usd("0.5"))
                .occurredAt(at).build();
    }
}
