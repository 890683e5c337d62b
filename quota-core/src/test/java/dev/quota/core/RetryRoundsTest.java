package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Failed batches waiting for their next round: doubling delays, a cap, the close deadline, flushes. */
class RetryRoundsTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final RetryRounds rounds = new RetryRounds(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private static UsageBatch failedBatch(int roundsFailed) {
        UsageBatch b = new UsageBatch(new ArrayList<>());
        b.rounds = roundsFailed;
        return b;
    }

    @Test
    void theDelayDoublesEachRoundUpToTheMaximum() {
        assertThat(rounds.delayAfter(1)).isEqualTo(SECOND);
        assertThat(rounds.delayAfter(2)).isEqualTo(2 * SECOND);
        assertThat(rounds.delayAfter(3)).isEqualTo(4 * SECOND);
        assertThat(rounds.delayAfter(4)).isEqualTo(5 * SECOND);
        assertThat(rounds.delayAfter(60)).isEqualTo(5 * SECOND);
    }

    @Test
    void aZeroDelayRetriesAtOnce() {
        RetryRounds now = new RetryRounds(Duration.ZERO, Duration.ZERO);
        assertThat(now.delayAfter(7)).isZero();
    }

    @Test
    void aBatchIsDueAfterItsDelay() {
        UsageBatch b = failedBatch(2);
        rounds.schedule(b, 10 * SECOND, null);
        assertThat(rounds.nextDueIn(10 * SECOND)).isEqualTo(2 * SECOND);
        assertThat(rounds.takeDue(12 * SECOND - 1, false)).isNull();
        assertThat(rounds.takeDue(12 * SECOND, false)).isSameAs(b);
        assertThat(rounds.isEmpty()).isTrue();
        assertThat(rounds.nextDueIn(12 * SECOND)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void noWaitRunsPastTheCloseDeadline() {
        UsageBatch b = failedBatch(3);
        rounds.schedule(b, 0, SECOND / 2);
        assertThat(b.dueNanos).isEqualTo(SECOND / 2);
    }

    @Test
    void aWaitingFlushTakesABatchBeforeItIsDue() {
        UsageBatch b = failedBatch(1);
        rounds.schedule(b, 0, null);
        assertThat(rounds.takeDue(0, true)).isSameAs(b);
    }

    @Test
    void closingMakesEveryBatchDueAtOnce() {
        UsageBatch first = failedBatch(1);
        UsageBatch second = failedBatch(4);
        rounds.schedule(first, 0, null);
        rounds.schedule(second, 0, null);
        rounds.allDue(SECOND / 10);
        assertThat(rounds.takeDue(SECOND / 10, false)).isSameAs(first);
        assertThat(rounds.takeDue(SECOND / 10, false)).isSameAs(second);
    }
}
