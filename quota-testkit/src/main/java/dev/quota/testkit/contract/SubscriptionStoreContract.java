package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.assertUsed;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SubscriptionStore} passes: exact usage, rolling 1 d / 7 d / 30 d windows reset
 * when expired (start = now), atomic increments. Extend it and implement {@link #createStore()}.
 */
public abstract class SubscriptionStoreContract extends StoreContract<SubscriptionStore> {

    private static final long USER = 42;
    private static final long GROUP = 7;
    private static final long OTHER_GROUP = 8;

    private MutableClock clock;

    @BeforeEach
    void startClock() {
        clock = MutableClock.startingAt("2025-03-10T08:00:00Z");
    }

    private SubscriptionState fresh(long groupId) {
        return new SubscriptionState(USER, groupId, SubscriptionStatus.ACTIVE, clock.instant().plus(Duration.ofDays(90)),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    @Test
    void findIsEmptyWithoutSubscription() {
        assertThat(store().find(USER, GROUP)).isEmpty();
    }

    @Test
    void saveThenFindReturnsTheSameState() {
        Instant start = clock.instant().minus(Duration.ofHours(3));
        SubscriptionState state = new SubscriptionState(USER, GROUP, SubscriptionStatus.SUSPENDED,
                at("2025-06-01T00:00:00Z"), new WindowUsage(5, start), new WindowUsage(6, start),
                new WindowUsage(7, start));
        store().save(state);
        assertThat(store().find(USER, GROUP)).contains(state);
    }

    @Test
    void saveReplacesTheWholeStateUsageIncluded() {
        store().save(fresh(GROUP));
        store().addUsage(USER, GROUP, usd("1"), clock.instant());
        SubscriptionState replacement = fresh(GROUP);
        store().save(replacement);
        assertThat(store().find(USER, GROUP)).contains(replacement);
    }

    @Test
    void subscriptionsOfDifferentGroupsAreIndependent() {
        store().save(fresh(GROUP));
        store().save(fresh(OTHER_GROUP));
        store().addUsage(USER, GROUP, usd("1"), clock.instant());
        assertThat(store().find(USER, OTHER_GROUP)).contains(fresh(OTHER_GROUP));
    }

    @Test
    void firstUsageStartsEveryWindowAtNow() {
        store().save(fresh(GROUP));
        SubscriptionState after = store().addUsage(USER, GROUP, usd("0.25"), clock.instant()).orElseThrow();
        WindowUsage expected = new WindowUsage(usd("0.25").nanos(), clock.instant());
        assertThat(after.daily()).isEqualTo(expected);
        assertThat(after.weekly()).isEqualTo(expected);
        assertThat(after.monthly()).isEqualTo(expected);
        assertThat(store().find(USER, GROUP)).contains(after);
    }

    @Test
    void usageAccumulatesInLiveWindows() {
        store().save(fresh(GROUP));
        Instant first = clock.instant();
        store().addUsage(USER, GROUP, usd("0.25"), first);
        clock.advance(Duration.ofHours(23));
        SubscriptionState after = store().addUsage(USER, GROUP, usd("0.5"), clock.instant()).orElseThrow();
        assertThat(after.daily()).isEqualTo(new WindowUsage(usd("0.75").nanos(), first));
        assertThat(after.monthly()).isEqualTo(new WindowUsage(usd("0.75").nanos(), first));
    }

    @Test
    void addUsageKeepsStatusAndExpiry() {
        SubscriptionState state = fresh(GROUP);
        store().save(state);
        SubscriptionState after = store().addUsage(USER, GROUP, usd("1"), clock.instant()).orElseThrow();
        assertThat(after.status()).isEqualTo(state.status());
        assertThat(after.expiresAt()).isEqualTo(state.expiresAt());
        assertThat(after.userId()).isEqualTo(USER);
        assertThat(after.groupId()).isEqualTo(GROUP);
    }

    @Test
    void expiredDailyWindowResetsToTheCostWithStartNowWhileLongerWindowsKeepCounting() {
        store().save(fresh(GROUP));
        Instant first = clock.instant();
        store().addUsage(USER, GROUP, usd("2"), first);
        clock.advance(Duration.ofDays(1));
        Instant now = clock.instant();
        SubscriptionState after = store().addUsage(USER, GROUP, usd("3"), now).orElseThrow();
        assertThat(after.daily()).isEqualTo(new WindowUsage(usd("3").nanos(), now));
        assertThat(after.weekly()).isEqualTo(new WindowUsage(usd("5").nanos(), first));
        assertThat(after.monthly()).isEqualTo(new WindowUsage(usd("5").nanos(), first));
    }

    @Test
    void dailyWindowIsStillLiveOneMillisecondBeforeItsLength() {
        store().save(fresh(GROUP));
        Instant first = clock.instant();
        store().addUsage(USER, GROUP, usd("2"), first);
        clock.advance(Duration.ofDays(1).minusMillis(1));
        SubscriptionState after = store().addUsage(USER, GROUP, usd("3"), clock.instant()).orElseThrow();
        assertThat(after.daily()).isEqualTo(new WindowUsage(usd("5").nanos(), first));
    }

    @Test
    void everyExpiredWindowResetsAfterThirtyDays() {
        store().save(fresh(GROUP));
        store().addUsage(USER, GROUP, usd("2"), clock.instant());
        clock.advance(Duration.ofDays(30));
        Instant now = clock.instant();
        SubscriptionState after = store().addUsage(USER, GROUP, usd("1"), now).orElseThrow();
        WindowUsage reset = new WindowUsage(usd("1").nanos(), now);
        assertThat(after.daily()).isEqualTo(reset);
        assertThat(after.weekly()).isEqualTo(reset);
        assertThat(after.monthly()).isEqualTo(reset);
    }

    @Test
    void addUsageWithoutSubscriptionReturnsEmptyAndCreatesNothing() {
        assertThat(store().addUsage(USER, GROUP, usd("1"), clock.instant())).isEmpty();
        assertThat(store().find(USER, GROUP)).isEmpty();
    }

    @Test
    void negativeCostIsRejectedAndChangesNothing() {
        SubscriptionState state = fresh(GROUP);
        store().save(state);
        assertThatThrownBy(() -> store().addUsage(USER, GROUP, usd("-0.000000001"), clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER, GROUP)).contains(state);
    }

    @Test
    void usageAbove2Pow53NanosStaysExact() {
        store().save(fresh(GROUP));
        store().addUsage(USER, GROUP, Money.ofNanos(TWO_POW_53), clock.instant());
        SubscriptionState after = store().addUsage(USER, GROUP, Money.ofNanos(1), clock.instant()).orElseThrow();
        assertThat(after.daily().used()).isEqualTo(TWO_POW_53 + 1);
        assertThat(store().find(USER, GROUP).orElseThrow().monthly().used()).isEqualTo(TWO_POW_53 + 1);
    }

    @Test
    void aThousandUsagesOfTenCentsSumToExactlyOneHundredUsd() {
        store().save(fresh(GROUP));
        for (int i = 0; i < 1000; i++) {
            store().addUsage(USER, GROUP, usd("0.1"), clock.instant());
        }
        assertThat(store().find(USER, GROUP).orElseThrow().daily().used()).isEqualTo(usd("100").nanos());
    }

    @Test
    void concurrentUsageIsNeverLost() {
        store().save(fresh(GROUP));
        Instant now = clock.instant();
        Race.run((thread, op) -> store().addUsage(USER, GROUP, usd("0.01"), now));
        long expected = usd("0.01").times((long) Race.THREADS * Race.OPS).nanos();
        SubscriptionState after = store().find(USER, GROUP).orElseThrow();
        assertUsed(expected, after.daily(), after.weekly(), after.monthly());
    }

    @Test
    void windowExpiringBetweenTwoIncrementsIsResetExactlyOnce() {
        store().save(fresh(GROUP));
        Instant first = clock.instant();
        store().addUsage(USER, GROUP, usd("100"), first);
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        Instant now = clock.instant();
        Race.run((thread, op) -> store().addUsage(USER, GROUP, usd("0.01"), now));
        long added = usd("0.01").times((long) Race.THREADS * Race.OPS).nanos();
        SubscriptionState after = store().find(USER, GROUP).orElseThrow();
        assertThat(after.daily()).isEqualTo(new WindowUsage(added, now));
        assertThat(after.weekly()).isEqualTo(new WindowUsage(usd("100").nanos() + added, first));
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }
}
