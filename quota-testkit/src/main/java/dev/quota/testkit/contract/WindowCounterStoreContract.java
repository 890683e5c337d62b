package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.NEW_YORK;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link WindowCounterStore} passes: creation and reset of expired windows in the same
 * atomic step as the increment, rolling and calendar windows in a business zone (DST included), exact
 * sums under concurrency. Extend it and implement {@link #createStore()}.
 */
public abstract class WindowCounterStoreContract extends StoreContract<WindowCounterStore> {

    private static final String COUNTER = "apikey:42:5h";
    private static final Window FIVE_HOURS = Window.rolling(Duration.ofHours(5));

    private MutableClock clock;

    @BeforeEach
    void startClock() {
        clock = MutableClock.startingAt("2025-03-10T08:00:00Z");
    }

    private WindowUsage add(String counter, Window window, long amount) {
        return store().add(counter, window, amount, clock.instant(), ZoneOffset.UTC);
    }

    @Test
    void findIsEmptyForAnUnknownCounter() {
        assertThat(store().find(COUNTER)).isEmpty();
    }

    @Test
    void theApiKeyReadsAreEmptyForAKeyWithoutStoredUsage() {
        assertThat(store().findKeyUsage(1, 99)).isEmpty();
        assertThat(store().findKeyModelUsage(1, 99, "claude")).isEmpty();
    }

    @Test
    void firstAddCreatesTheCounterWithTheAmountAndStartNow() {
        WindowUsage created = add(COUNTER, FIVE_HOURS, 7);
        assertThat(created).isEqualTo(new WindowUsage(7, clock.instant()));
        assertThat(store().find(COUNTER)).contains(created);
    }

    @Test
    void addsWithinALiveWindowAccumulateAndKeepTheStart() {
        Instant start = clock.instant();
        add(COUNTER, FIVE_HOURS, 7);
        clock.advance(Duration.ofHours(4));
        assertThat(add(COUNTER, FIVE_HOURS, 5)).isEqualTo(new WindowUsage(12, start));
    }

    @Test
    void rollingWindowIsStillLiveOneMillisecondBeforeItsLength() {
        Instant start = clock.instant();
        add(COUNTER, FIVE_HOURS, 7);
        clock.advance(Duration.ofHours(5).minusMillis(1));
        assertThat(add(COUNTER, FIVE_HOURS, 1)).isEqualTo(new WindowUsage(8, start));
    }

    @Test
    void expiredRollingWindowResetsToTheAmountWithStartNow() {
        add(COUNTER, FIVE_HOURS, 7);
        clock.advance(Duration.ofHours(5));
        WindowUsage reset = add(COUNTER, FIVE_HOURS, 3);
        assertThat(reset).isEqualTo(new WindowUsage(3, clock.instant()));
        assertThat(store().find(COUNTER)).contains(reset);
    }

    @Test
    void findReturnsAnExpiredCounterAsStored() {
        Instant start = clock.instant();
        add(COUNTER, FIVE_HOURS, 7);
        clock.advance(Duration.ofDays(2));
        assertThat(store().find(COUNTER)).contains(new WindowUsage(7, start));
    }

    @Test
    void countersAreIndependent() {
        add(COUNTER, FIVE_HOURS, 7);
        add("apikey:43:5h", FIVE_HOURS, 1);
        assertThat(store().find(COUNTER).orElseThrow().used()).isEqualTo(7);
        assertThat(store().find("apikey:43:5h").orElseThrow().used()).isEqualTo(1);
    }

    @Test
    void zeroAmountStartsAWindow() {
        assertThat(add(COUNTER, FIVE_HOURS, 0)).isEqualTo(new WindowUsage(0, clock.instant()));
    }

    @Test
    void calendarDayStartsAtMidnightInTheBusinessZone() {
        clock.set(at("2025-03-10T15:59:59.999Z")); // 23:59:59.999 on 10 March in Shanghai
        WindowUsage usage = store().add(COUNTER, Window.calendarDay(), 5, clock.instant(), SHANGHAI);
        assertThat(usage).isEqualTo(new WindowUsage(5, at("2025-03-09T16:00:00Z")));
    }

    @Test
    void calendarDayResetsAtMidnightInTheBusinessZone() {
        clock.set(at("2025-03-10T15:59:59.999Z"));
        store().add(COUNTER, Window.calendarDay(), 5, clock.instant(), SHANGHAI);
        clock.advance(Duration.ofMillis(1)); // 00:00 on 11 March in Shanghai
        WindowUsage usage = store().add(COUNTER, Window.calendarDay(), 2, clock.instant(), SHANGHAI);
        assertThat(usage).isEqualTo(new WindowUsage(2, at("2025-03-10T16:00:00Z")));
    }

    @Test
    void calendarDayDoesNotResetAtUtcMidnightInAnotherZone() {
        clock.set(at("2025-03-11T23:00:00Z")); // 19:00 EDT on 11 March
        store().add(COUNTER, Window.calendarDay(), 5, clock.instant(), NEW_YORK);
        clock.set(at("2025-03-12T01:00:00Z")); // 21:00 EDT, still 11 March
        WindowUsage usage = store().add(COUNTER, Window.calendarDay(), 2, clock.instant(), NEW_YORK);
        assertThat(usage).isEqualTo(new WindowUsage(7, at("2025-03-11T04:00:00Z")));
    }

    @Test
    void calendarDayLasts23HoursWhenDaylightSavingTimeStarts() {
        clock.set(at("2025-03-09T05:00:00Z")); // 00:00 EST on 9 March, the day clocks spring forward
        store().add(COUNTER, Window.calendarDay(), 5, clock.instant(), NEW_YORK);
        clock.set(at("2025-03-10T03:59:59.999Z")); // 23:59:59.999 EDT, 23 hours later
        assertThat(store().add(COUNTER, Window.calendarDay(), 1, clock.instant(), NEW_YORK))
                .isEqualTo(new WindowUsage(6, at("2025-03-09T05:00:00Z")));
        clock.advance(Duration.ofMillis(1));
        assertThat(store().add(COUNTER, Window.calendarDay(), 2, clock.instant(), NEW_YORK))
                .isEqualTo(new WindowUsage(2, at("2025-03-10T04:00:00Z")));
    }

    @Test
    void calendarWeekStartsOnMondayInTheBusinessZone() {
        clock.set(at("2025-03-09T12:00:00Z")); // Sunday 08:00 EDT
        WindowUsage usage = store().add(COUNTER, Window.calendarWeek(), 5, clock.instant(), NEW_YORK);
        assertThat(usage).isEqualTo(new WindowUsage(5, at("2025-03-03T05:00:00Z"))); // Monday 00:00 EST
    }

    @Test
    void calendarWeekResetsOnMondayMidnightInTheBusinessZoneNotInUtc() {
        clock.set(at("2025-03-09T12:00:00Z"));
        store().add(COUNTER, Window.calendarWeek(), 5, clock.instant(), NEW_YORK);
        clock.set(at("2025-03-10T00:00:00Z")); // Monday in UTC, still Sunday 20:00 in New York
        assertThat(store().add(COUNTER, Window.calendarWeek(), 1, clock.instant(), NEW_YORK).used()).isEqualTo(6);
        clock.set(at("2025-03-10T04:00:00Z")); // Monday 00:00 EDT
        assertThat(store().add(COUNTER, Window.calendarWeek(), 2, clock.instant(), NEW_YORK))
                .isEqualTo(new WindowUsage(2, at("2025-03-10T04:00:00Z")));
    }

    @Test
    void calendarMonthResetsOnTheFirstInTheBusinessZone() {
        clock.set(at("2025-03-31T15:59:59.999Z")); // 23:59:59.999 on 31 March in Shanghai
        assertThat(store().add(COUNTER, Window.calendarMonth(), 5, clock.instant(), SHANGHAI))
                .isEqualTo(new WindowUsage(5, at("2025-02-28T16:00:00Z")));
        clock.advance(Duration.ofMillis(1)); // 1 April 00:00 in Shanghai
        assertThat(store().add(COUNTER, Window.calendarMonth(), 2, clock.instant(), SHANGHAI))
                .isEqualTo(new WindowUsage(2, at("2025-03-31T16:00:00Z")));
    }

    @Test
    void fixedWindowStartsAtTheEpochAlignedBucket() {
        clock.set(at("2025-03-10T08:00:42.123Z"));
        Window minute = Window.fixed(Duration.ofMinutes(1));
        assertThat(add(COUNTER, minute, 1)).isEqualTo(new WindowUsage(1, at("2025-03-10T08:00:00Z")));
        clock.set(at("2025-03-10T08:01:00Z"));
        assertThat(add(COUNTER, minute, 1)).isEqualTo(new WindowUsage(1, at("2025-03-10T08:01:00Z")));
    }

    @Test
    void amountsAbove2Pow53StayExact() {
        add(COUNTER, FIVE_HOURS, TWO_POW_53);
        assertThat(add(COUNTER, FIVE_HOURS, 1).used()).isEqualTo(TWO_POW_53 + 1);
        assertThat(store().find(COUNTER).orElseThrow().used()).isEqualTo(TWO_POW_53 + 1);
    }

    @Test
    void blankNameIsRejected() {
        assertThatThrownBy(() -> add(" ", FIVE_HOURS, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> add("", FIVE_HOURS, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(" ")).isEmpty();
    }

    @Test
    void namesUpTo200CharactersAreAcceptedAndLongerOnesRejected() {
        String longest = "c".repeat(200);
        assertThat(add(longest, FIVE_HOURS, 1).used()).isEqualTo(1);
        assertThatThrownBy(() -> add(longest + "c", FIVE_HOURS, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(longest)).contains(new WindowUsage(1, clock.instant()));
    }

    @Test
    void negativeAmountIsRejectedAndChangesNothing() {
        add(COUNTER, FIVE_HOURS, 7);
        assertThatThrownBy(() -> add(COUNTER, FIVE_HOURS, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(COUNTER)).contains(new WindowUsage(7, clock.instant()));
    }

    @Test
    void concurrentIncrementsSumExactly() {
        Instant now = clock.instant();
        Race.run((thread, op) -> store().add(COUNTER, FIVE_HOURS, 3, now, ZoneOffset.UTC));
        assertThat(store().find(COUNTER)).contains(new WindowUsage(3L * Race.THREADS * Race.OPS, now));
    }

    @Test
    void concurrentIncrementsOfAFreshCounterCreateItOnce() {
        Instant now = clock.instant();
        Race.run(Race.THREADS, 1, (thread, op) -> store().add(COUNTER, FIVE_HOURS, 1, now, ZoneOffset.UTC));
        assertThat(store().find(COUNTER)).contains(new WindowUsage(Race.THREADS, now));
    }

    @Test
    void windowExpiringBetweenTwoIncrementsIsResetExactlyOnce() {
        add(COUNTER, FIVE_HOURS, 1_000_000);
        clock.advance(Duration.ofHours(6));
        Instant now = clock.instant();
        Race.run((thread, op) -> store().add(COUNTER, FIVE_HOURS, 1, now, ZoneOffset.UTC));
        assertThat(store().find(COUNTER)).contains(new WindowUsage((long) Race.THREADS * Race.OPS, now));
    }
}
