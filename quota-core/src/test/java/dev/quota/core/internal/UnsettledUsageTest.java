package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bookkeeping that tells whether a store read of a user is exact with respect to its unsettled usage. */
class UnsettledUsageTest {

    private final UnsettledUsage unsettled = new UnsettledUsage();

    private static UsageEvent event(String id, long user) {
        return UsageEvent.builder(id, user).totalCost(Money.parse("1")).occurredAt(Instant.parse("2026-11-18T02:00:00Z"))
                .build();
    }

    @Test
    void aReadWithoutCommitsIsExactAndTheViewListsTheUnsettledEvents() {
        UsageEvent e = event("a", 1);
        unsettled.add(e);
        UnsettledUsage.Mark mark = unsettled.mark(1);
        UnsettledUsage.View view = unsettled.view(1);
        assertThat(UnsettledUsage.exact(mark, view)).isTrue();
        assertThat(view.events()).containsExactly(e);
        assertThat(view.quiet()).isFalse();
    }

    @Test
    void anEventHandedOverTwiceIsCountedOnceUntilBothHandOversSettle() {
        UsageEvent e = event("a", 1);
        unsettled.add(e); // the live writer's hand-over
        unsettled.add(e); // the drainer took the same outbox entry while the writer still held it
        unsettled.add(event("b", 1));
        assertThat(unsettled.view(1).events()).extracting(UsageEvent::requestId).containsExactly("a", "b");
        unsettled.settled(e);
        assertThat(unsettled.view(1).events()).extracting(UsageEvent::requestId).containsExactly("a", "b");
        unsettled.settled(e);
        assertThat(unsettled.view(1).events()).extracting(UsageEvent::requestId).containsExactly("b");
    }

    @Test
    void aReadThatBeganWhileAnEventWasCommittingIsNotExact() {
        UsageEvent e = event("a", 1);
        unsettled.add(e);
        unsettled.committing(e);
        UnsettledUsage.Mark mark = unsettled.mark(1);
        assertThat(UnsettledUsage.exact(mark, unsettled.view(1))).isFalse();

        unsettled.settled(e);
        UnsettledUsage.Mark after = unsettled.mark(1);
        assertThat(UnsettledUsage.exact(after, unsettled.view(1))).isTrue();
        assertThat(unsettled.quiet(1)).isTrue();
    }

    @Test
    void aCommitOrASettleDuringTheReadMakesItInexact() {
        UsageEvent e = event("a", 1);
        unsettled.add(e);
        UnsettledUsage.Mark mark = unsettled.mark(1);
        unsettled.committing(e);
        assertThat(UnsettledUsage.exact(mark, unsettled.view(1))).isFalse();

        UsageEvent f = event("b", 1);
        unsettled.add(f);
        UnsettledUsage.Mark beforeSettle = unsettled.mark(1);
        unsettled.settled(f); // a sink that never says committing: its settle still shows
        assertThat(UnsettledUsage.exact(beforeSettle, unsettled.view(1))).isFalse();
    }

    @Test
    void addingUsageDuringTheReadKeepsItExact() {
        UnsettledUsage.Mark mark = unsettled.mark(1);
        unsettled.add(event("a", 1));
        UnsettledUsage.View view = unsettled.view(1);
        assertThat(UnsettledUsage.exact(mark, view)).isTrue();
        assertThat(view.events()).hasSize(1);
    }

    @Test
    void aRetriedCommitCountsOnceAndItsSettleEndsIt() {
        UsageEvent e = event("a", 1);
        unsettled.add(e);
        unsettled.committing(e);
        unsettled.committing(e);
        unsettled.settled(e);
        assertThat(unsettled.mark(1).committing()).isFalse();
    }

    @Test
    void awaitCommitsReturnsOnceTheUsersCommitsSettled() throws Exception {
        UsageEvent e = event("a", 1);
        unsettled.add(e);
        unsettled.committing(e);
        assertThat(unsettled.awaitCommits(1, System.nanoTime())).as("deadline passed").isFalse();
        assertThat(unsettled.awaitCommits(2, System.nanoTime())).as("another user commits nothing").isTrue();

        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return unsettled.awaitCommits(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
        unsettled.settled(e);
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void lagCountsUnsettledEventsAndAgesTheOldest() {
        StepClock clock = new StepClock();
        UnsettledUsage timed = new UnsettledUsage(clock);
        assertThat(timed.lag()).isEqualTo(new UnsettledUsage.Lag(0, java.time.Duration.ZERO));
        UsageEvent a = event("a", 1);
        UsageEvent b = event("b", 2);
        timed.add(a);
        clock.advance(java.time.Duration.ofSeconds(5));
        timed.add(b);
        clock.advance(java.time.Duration.ofSeconds(2));
        assertThat(timed.lag()).isEqualTo(new UnsettledUsage.Lag(2, java.time.Duration.ofSeconds(7)));
        timed.settled(a);
        assertThat(timed.lag()).isEqualTo(new UnsettledUsage.Lag(1, java.time.Duration.ofSeconds(2)));
        timed.settled(a); // settled twice: not counted twice
        timed.settled(b);
        assertThat(timed.lag()).isEqualTo(new UnsettledUsage.Lag(0, java.time.Duration.ZERO));
    }
}
