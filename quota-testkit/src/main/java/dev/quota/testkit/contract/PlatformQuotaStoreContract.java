package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.assertUsed;
import static dev.quota.testkit.contract.Fixtures.NEW_YORK;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PlatformQuotaStore} passes: records created on first usage without own limits,
 * calendar day / calendar week windows in the business zone and a rolling 30-day window, limits kept apart
 * from usage, defaults replaced as a whole. Extend it and implement {@link #createStore()}.
 */
public abstract class PlatformQuotaStoreContract extends StoreContract<PlatformQuotaStore> {

    private static final long USER = 42;
    private static final String PLATFORM = "anthropic";
    private static final PeriodLimits LIMITS = new PeriodLimits(Limit.of(usd("5")), Limit.of(usd("20")),
            Limit.unlimited());

    private MutableClock clock;

    @BeforeEach
    void startClock() {
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z"); // Wednesday 14:30 in Shanghai
    }

    private PlatformQuotaRecord addUsage(Money cost) {
        return store().addUsage(USER, PLATFORM, cost, clock.instant(), SHANGHAI);
    }

    @Test
    void findIsEmptyWithoutRecord() {
        assertThat(store().find(USER, PLATFORM)).isEmpty();
    }

    @Test
    void firstUsageCreatesARecordWithoutOwnLimitsAndStartsEveryWindow() {
        PlatformQuotaRecord rec = addUsage(usd("1.5"));
        long cost = usd("1.5").nanos();
        assertThat(rec.userId()).isEqualTo(USER);
        assertThat(rec.platform()).isEqualTo(PLATFORM);
        assertThat(rec.limits()).isNull();
        assertThat(rec.daily()).isEqualTo(new WindowUsage(cost, at("2025-03-11T16:00:00Z")));  // 00:00 Wed
        assertThat(rec.weekly()).isEqualTo(new WindowUsage(cost, at("2025-03-09T16:00:00Z"))); // 00:00 Mon
        assertThat(rec.monthly()).isEqualTo(new WindowUsage(cost, clock.instant()));
        assertThat(store().find(USER, PLATFORM)).contains(rec);
    }

    @Test
    void usageAccumulatesInLiveWindows() {
        addUsage(usd("1.5"));
        clock.advance(Duration.ofHours(1));
        PlatformQuotaRecord rec = addUsage(usd("0.25"));
        assertThat(rec.daily().used()).isEqualTo(usd("1.75").nanos());
        assertThat(rec.weekly().used()).isEqualTo(usd("1.75").nanos());
        assertThat(rec.monthly().used()).isEqualTo(usd("1.75").nanos());
    }

    @Test
    void dailyWindowResetsAtMidnightInTheBusinessZoneWhileTheWeekKeepsCounting() {
        addUsage(usd("1"));
        clock.set(at("2025-03-12T16:00:00Z")); // 00:00 Thursday in Shanghai
        PlatformQuotaRecord rec = addUsage(usd("2"));
        assertThat(rec.daily()).isEqualTo(new WindowUsage(usd("2").nanos(), at("2025-03-12T16:00:00Z")));
        assertThat(rec.weekly()).isEqualTo(new WindowUsage(usd("3").nanos(), at("2025-03-09T16:00:00Z")));
    }

    @Test
    void weeklyWindowResetsOnMondayInTheBusinessZone() {
        clock.set(at("2025-03-09T12:00:00Z")); // Sunday 08:00 in New York
        store().addUsage(USER, PLATFORM, usd("1"), clock.instant(), NEW_YORK);
        clock.set(at("2025-03-10T03:59:59.999Z")); // still Sunday in New York
        assertThat(store().addUsage(USER, PLATFORM, usd("1"), clock.instant(), NEW_YORK).weekly().used())
                .isEqualTo(usd("2").nanos());
        clock.set(at("2025-03-10T04:00:00Z")); // Monday 00:00 EDT
        PlatformQuotaRecord rec = store().addUsage(USER, PLATFORM, usd("5"), clock.instant(), NEW_YORK);
        assertThat(rec.weekly()).isEqualTo(new WindowUsage(usd("5").nanos(), at("2025-03-10T04:00:00Z")));
        assertThat(rec.monthly().used()).isEqualTo(usd("7").nanos());
    }

    @Test
    void monthlyWindowIsRolling30Days() {
        Instant first = clock.instant();
        addUsage(usd("1"));
        clock.advance(Duration.ofDays(30).minusMillis(1));
        assertThat(addUsage(usd("1")).monthly()).isEqualTo(new WindowUsage(usd("2").nanos(), first));
        clock.advance(Duration.ofMillis(1));
        assertThat(addUsage(usd("4")).monthly()).isEqualTo(new WindowUsage(usd("4").nanos(), clock.instant()));
    }

    @Test
    void setLimitsCreatesARecordWithoutUsage() {
        store().setLimits(USER, PLATFORM, LIMITS);
        PlatformQuotaRecord rec = store().find(USER, PLATFORM).orElseThrow();
        assertThat(rec.limits()).isEqualTo(LIMITS);
        assertThat(rec.daily().used()).isZero();
        assertThat(rec.weekly().used()).isZero();
        assertThat(rec.monthly().used()).isZero();
    }

    @Test
    void setLimitsKeepsUsage() {
        PlatformQuotaRecord before = addUsage(usd("1.5"));
        store().setLimits(USER, PLATFORM, LIMITS);
        assertThat(store().find(USER, PLATFORM)).contains(before.withLimits(LIMITS));
    }

    @Test
    void usageKeepsOwnLimits() {
        store().setLimits(USER, PLATFORM, LIMITS);
        assertThat(addUsage(usd("1")).limits()).isEqualTo(LIMITS);
    }

    @Test
    void nullLimitsFallBackToTheDefaults() {
        store().setLimits(USER, PLATFORM, LIMITS);
        store().setLimits(USER, PLATFORM, null);
        assertThat(store().find(USER, PLATFORM).orElseThrow().limits()).isNull();
    }

    @Test
    void platformsAndUsersAreIndependent() {
        addUsage(usd("1"));
        store().addUsage(USER, "openai", usd("2"), clock.instant(), SHANGHAI);
        store().addUsage(USER + 1, PLATFORM, usd("3"), clock.instant(), SHANGHAI);
        assertThat(store().find(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(usd("1").nanos());
        assertThat(store().find(USER, "openai").orElseThrow().daily().used()).isEqualTo(usd("2").nanos());
        assertThat(store().find(USER + 1, PLATFORM).orElseThrow().daily().used()).isEqualTo(usd("3").nanos());
    }

    @Test
    void defaultsAreNoneUntilReplaced() {
        assertThat(store().defaults()).isEqualTo(PlatformQuotaDefaults.NONE);
    }

    @Test
    void replaceDefaultsReplacesThemAsAWhole() {
        PlatformQuotaDefaults first = PlatformQuotaDefaults.builder()
                .system(PLATFORM, LIMITS)
                .source("github", "openai", LIMITS)
                .build();
        PlatformQuotaDefaults second = PlatformQuotaDefaults.builder()
                .sourceWithoutLimits("email")
                .build();
        store().replaceDefaults(first);
        assertThat(store().defaults()).isEqualTo(first);
        store().replaceDefaults(second);
        assertThat(store().defaults()).isEqualTo(second);
        assertThat(store().defaults().resolve(null, PLATFORM)).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void amountsAbove2Pow53StayExact() {
        addUsage(Money.ofNanos(TWO_POW_53));
        PlatformQuotaRecord rec = addUsage(Money.ofNanos(1));
        assertThat(rec.daily().used()).isEqualTo(TWO_POW_53 + 1);
        assertThat(store().find(USER, PLATFORM).orElseThrow().monthly().used()).isEqualTo(TWO_POW_53 + 1);
    }

    @Test
    void aThousandUsagesOfTenCentsSumToExactlyOneHundredUsd() {
        for (int i = 0; i < 1000; i++) {
            addUsage(usd("0.1"));
        }
        assertThat(store().find(USER, PLATFORM).orElseThrow().weekly().used()).isEqualTo(usd("100").nanos());
    }

    @Test
    void blankPlatformIsRejected() {
        assertThatThrownBy(() -> store().addUsage(USER, " ", usd("1"), clock.instant(), SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeCostIsRejectedAndChangesNothing() {
        PlatformQuotaRecord before = addUsage(usd("1"));
        assertThatThrownBy(() -> addUsage(usd("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER, PLATFORM)).contains(before);
    }

    @Test
    void concurrentUsageIsNeverLostAndTheRecordIsCreatedOnce() {
        Instant now = clock.instant();
        Race.run((thread, op) -> store().addUsage(USER, PLATFORM, usd("0.01"), now, SHANGHAI));
        long expected = usd("0.01").times((long) Race.THREADS * Race.OPS).nanos();
        PlatformQuotaRecord rec = store().find(USER, PLATFORM).orElseThrow();
        assertUsed(expected, rec.daily(), rec.weekly(), rec.monthly());
    }

    @Test
    void dayExpiringBetweenTwoIncrementsIsResetExactlyOnce() {
        addUsage(usd("100"));
        clock.set(at("2025-03-12T16:00:00Z"));
        Instant now = clock.instant();
        Race.run((thread, op) -> store().addUsage(USER, PLATFORM, usd("0.01"), now, SHANGHAI));
        long added = usd("0.01").times((long) Race.THREADS * Race.OPS).nanos();
        PlatformQuotaRecord rec = store().find(USER, PLATFORM).orElseThrow();
        assertThat(rec.daily()).isEqualTo(new WindowUsage(added, now));
        assertThat(rec.weekly().used()).isEqualTo(usd("100").nanos() + added);
    }
}
