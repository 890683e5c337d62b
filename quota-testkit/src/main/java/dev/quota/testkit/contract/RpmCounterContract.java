package dev.quota.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.spi.RpmCounter;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RpmCounter} passes: one count per user (and user × group) per epoch-aligned
 * minute bucket, exact under concurrency. Extend it and implement {@link #createStore()}.
 */
public abstract class RpmCounterContract extends StoreContract<RpmCounter> {

    private static final long USER = 42;
    private static final Long GROUP = 7L;

    private MutableClock clock;

    /**
     * Creates the contract; subclasses supply the counters ({@link #createStore()}): each call must return counters
     * that see no increments made by earlier tests (a fresh instance or key prefix), because the tests reuse ids.
     */
    protected RpmCounterContract() {
    }

    /** @return the counter of the running test */
    protected RpmCounter counter() {
        return store();
    }

    @BeforeEach
    void startClock() {
        clock = MutableClock.startingAt("2025-03-10T08:00:30Z");
    }

    private Instant bucket() {
        return QuotaWindows.RPM.bucketStart(clock.instant());
    }

    @Test
    void firstIncrementCountsOne() {
        assertThat(counter().increment(USER, null, bucket())).isEqualTo(1);
    }

    @Test
    void incrementsInTheSameBucketCountUp() {
        counter().increment(USER, GROUP, bucket());
        counter().increment(USER, GROUP, bucket());
        assertThat(counter().increment(USER, GROUP, bucket())).isEqualTo(3);
    }

    @Test
    void theNextMinuteStartsAgainAtOne() {
        counter().increment(USER, null, bucket());
        counter().increment(USER, null, bucket());
        clock.advance(Duration.ofMinutes(1));
        assertThat(counter().increment(USER, null, bucket())).isEqualTo(1);
    }

    @Test
    void eachBucketKeepsItsOwnCount() {
        Instant first = bucket();
        counter().increment(USER, null, first);
        counter().increment(USER, null, first);
        clock.advance(Duration.ofMinutes(1));
        counter().increment(USER, null, bucket());
        assertThat(counter().increment(USER, null, first)).isEqualTo(3);
        assertThat(counter().increment(USER, null, bucket())).isEqualTo(2);
    }

    @Test
    void userAndUserTimesGroupCountersAreSeparate() {
        counter().increment(USER, GROUP, bucket());
        counter().increment(USER, GROUP, bucket());
        assertThat(counter().increment(USER, null, bucket())).isEqualTo(1);
        assertThat(counter().increment(USER, GROUP + 1, bucket())).isEqualTo(1);
    }

    @Test
    void usersAreSeparate() {
        counter().increment(USER, GROUP, bucket());
        assertThat(counter().increment(USER + 1, GROUP, bucket())).isEqualTo(1);
    }

    @Test
    void concurrentIncrementsReturnEveryCountExactlyOnce() {
        Instant bucket = bucket();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        Race.run((thread, op) -> seen.add(counter().increment(USER, GROUP, bucket)));
        long total = (long) Race.THREADS * Race.OPS;
        assertThat(seen).hasSize((int) total);
        assertThat(seen).allSatisfy(n -> assertThat(n).isBetween(1L, total));
        assertThat(counter().increment(USER, GROUP, bucket)).isEqualTo(total + 1);
    }

    @Test
    void concurrentIncrementsOfUserAndGroupCountersStayApart() {
        Instant bucket = bucket();
        Race.run((thread, op) -> counter().increment(USER, thread % 2 == 0 ? GROUP : null, bucket));
        long each = (long) Race.THREADS / 2 * Race.OPS;
        assertThat(counter().increment(USER, GROUP, bucket)).isEqualTo(each + 1);
        assertThat(counter().increment(USER, null, bucket)).isEqualTo(each + 1);
    }
}
