package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.GROUP;
import static dev.quota.testkit.gate.GateFixture.KEY;
import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.BillingMode;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every row of the check order and every reason code, through the gate on the in-memory stack. */
class BillingGateCheckOrderTest extends GateTest {

    private BillingGate gate;
    private Instant now;

    @BeforeEach
    void setUp() {
        gate = closeAfter(GateFixture.gate(q));
        now = q.clock().instant();
    }

    private static void assertDenied(Decision d, DenyReason reason, int status) {
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.httpStatus()).isEqualTo(status);
    }

    private void assertResets(Decision d, Instant resetsAt) {
        assertThat(d.resetsAt()).isEqualTo(resetsAt);
        assertThat(d.retryAfter()).isEqualTo(Duration.between(now, resetsAt));
        assertThat(d.retryAfterSeconds()).contains(Duration.between(now, resetsAt).toSeconds());
    }

    @Test
    void aUserWithBalanceIsAllowed() {
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    @Test
    void simpleModeAllowsEvenWithoutBalance() {
        q.balances().set(USER, usd("0"));
        try (BillingGate simple = q.gateBuilder().simpleMode(true).build()) {
            assertThat(simple.check(request().build()).allowed()).isTrue();
        }
    }

    @Test
    void zeroOrNegativeBalanceIsInsufficient() {
        q.balances().set(USER, usd("0"));
        assertDenied(gate.check(request().build()), DenyReason.INSUFFICIENT_BALANCE, 403);
        q.balances().set(USER, usd("-0.000000001"));
        gate.flush();
        q.cache().evict(EntryRef.balance(USER));
        assertDenied(gate.check(request().build()), DenyReason.INSUFFICIENT_BALANCE, 403);
    }

    @Test
    void aUserWithoutBalanceRecordIsInsufficient() {
        assertDenied(gate.check(dev.quota.core.CheckRequest.builder(99).build()),
                DenyReason.INSUFFICIENT_BALANCE, 403);
    }

    @Test
    void secondCheckIsServedFromTheRefilledCache() {
        gate.check(request().build());
        gate.flush();
        long loads = q.storeFaults().calls("BalanceStore.find");
        assertThat(gate.check(request().build()).allowed()).isTrue();
        assertThat(q.storeFaults().calls("BalanceStore.find")).isEqualTo(loads);
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));
    }

    // ---- subscription mode

    private void subscription(SubscriptionStatus status, Instant expires, WindowUsage daily, WindowUsage weekly,
                              WindowUsage monthly) {
        q.subscriptions().save(new SubscriptionState(USER, GROUP, status, expires, daily, weekly, monthly));
    }

    private Decision checkSubscription(PeriodLimits limits) {
        return gate.check(request().subscriptionGroup(GROUP, limits, Limit.unlimited()).subscribed(true).build());
    }

    @Test
    void inactiveSubscriptionIsInvalid() {
        subscription(SubscriptionStatus.SUSPENDED, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
        assertDenied(checkSubscription(PeriodLimits.UNLIMITED), DenyReason.SUBSCRIPTION_INVALID, 403);
    }

    @Test
    void expiredSubscriptionIsInvalid() {
        subscription(SubscriptionStatus.ACTIVE, now.minusSeconds(1), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
        assertDenied(checkSubscription(PeriodLimits.UNLIMITED), DenyReason.SUBSCRIPTION_INVALID, 403);
    }

    @Test
    void missingSubscriptionIsInvalid() {
        assertDenied(checkSubscription(PeriodLimits.UNLIMITED), DenyReason.SUBSCRIPTION_INVALID, 403);
    }

    @Test
    void subscriptionModeIgnoresTheBalance() {
        q.balances().set(USER, usd("0"));
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
        assertThat(checkSubscription(PeriodLimits.UNLIMITED).allowed()).isTrue();
    }

    @Test
    void subscriptionDailyLimitResetsOneDayAfterTheWindowStart() {
        Instant start = now.minus(Duration.ofHours(2));
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)),
                new WindowUsage(usd("10").nanos(), start), WindowUsage.EMPTY, WindowUsage.EMPTY);
        Decision d = checkSubscription(new PeriodLimits(Limit.of(usd("10")), Limit.unlimited(), Limit.unlimited()));
        assertDenied(d, DenyReason.DAILY_LIMIT_EXCEEDED, 429);
        assertResets(d, start.plus(Duration.ofDays(1)));
    }

    @Test
    void subscriptionWeeklyLimitResetsSevenDaysAfterTheWindowStart() {
        Instant start = now.minus(Duration.ofDays(3));
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY,
                new WindowUsage(usd("20").nanos(), start), WindowUsage.EMPTY);
        Decision d = checkSubscription(new PeriodLimits(Limit.unlimited(), Limit.of(usd("20")), Limit.unlimited()));
        assertDenied(d, DenyReason.WEEKLY_LIMIT_EXCEEDED, 429);
        assertResets(d, start.plus(Duration.ofDays(7)));
    }

    @Test
    void subscriptionMonthlyLimitResetsThirtyDaysAfterTheWindowStart() {
        Instant start = now.minus(Duration.ofDays(12));
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                new WindowUsage(usd("50").nanos(), start));
        Decision d = checkSubscription(new PeriodLimits(Limit.unlimited(), Limit.unlimited(), Limit.of(usd("50"))));
        assertDenied(d, DenyReason.MONTHLY_LIMIT_EXCEEDED, 429);
        assertResets(d, start.plus(Duration.ofDays(30)));
    }

    @Test
    void anExpiredSubscriptionWindowCountsAsZero() {
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)),
                new WindowUsage(usd("10").nanos(), now.minus(Duration.ofDays(1))), WindowUsage.EMPTY, WindowUsage.EMPTY);
        assertThat(checkSubscription(new PeriodLimits(Limit.of(usd("10")), Limit.unlimited(), Limit.unlimited()))
                .allowed()).isTrue();
    }

    // ---- user x platform quota

    private void platformLimits(String daily, String weekly, String monthly) {
        q.platformQuotas().setLimits(USER, PLATFORM, new PeriodLimits(limit(daily), limit(weekly), limit(monthly)));
    }

    private static Limit limit(String usd) {
        return usd == null ? Limit.unlimited() : Limit.of(usd(usd));
    }

    private Decision checkPlatform() {
        return gate.check(request().platform(PLATFORM).build());
    }

    @Test
    void platformDailyQuotaResetsAtTheNextLocalMidnight() {
        platformLimits("1", null, null);
        q.platformQuotas().addUsage(USER, PLATFORM, usd("1"), now, q.zone());
        Decision d = checkPlatform();
        assertDenied(d, DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, 429);
        assertResets(d, Instant.parse("2026-11-18T16:00:00Z")); // 2026-11-19 00:00 Shanghai
    }

    @Test
    void platformWeeklyQuotaResetsNextMondayAtLocalMidnight() {
        platformLimits(null, "3", null);
        q.platformQuotas().addUsage(USER, PLATFORM, usd("3"), now, q.zone());
        Decision d = checkPlatform();
        assertDenied(d, DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED, 429);
        assertResets(d, Instant.parse("2026-11-22T16:00:00Z")); // Monday 2026-11-23 00:00 Shanghai
    }

    @Test
    void platformMonthlyQuotaResetsThirtyDaysAfterItsStart() {
        platformLimits(null, null, "9");
        Instant start = now.minus(Duration.ofDays(4));
        q.platformQuotas().addUsage(USER, PLATFORM, usd("9"), start, q.zone());
        Decision d = checkPlatform();
        assertDenied(d, DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED, 429);
        assertResets(d, start.plus(Duration.ofDays(30)));
    }

    @Test
    void aDisabledMonthlyQuotaWithoutStartResetsThirtyDaysFromNow() {
        platformLimits(null, null, "0");
        Decision d = checkPlatform();
        assertDenied(d, DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED, 429);
        assertResets(d, now.plus(Duration.ofDays(30)));
    }

    @Test
    void platformQuotaDoesNotApplyInSubscriptionMode() {
        platformLimits("0", "0", "0");
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
        assertThat(gate.check(request().subscriptionGroup(GROUP, PeriodLimits.UNLIMITED, Limit.unlimited())
                .subscribed(true).platform(PLATFORM).build()).allowed()).isTrue();
    }

    @Test
    void platformDefaultsApplyPerAuthSourceElseSystem() {
        gate.replacePlatformQuotaDefaults(PlatformQuotaDefaults.builder()
                .system(PLATFORM, new PeriodLimits(Limit.of(usd("100")), Limit.unlimited(), Limit.unlimited()))
                .source("github", PLATFORM, new PeriodLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited()))
                .build());
        q.platformQuotas().addUsage(USER, PLATFORM, usd("1"), now, q.zone());
        assertDenied(gate.check(request().authSource("github").platform(PLATFORM).build()),
                DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, 429);
        gate.flush();
        q.cache().evict(EntryRef.platformQuota(USER, PLATFORM));
        assertThat(gate.check(request().authSource("email").platform(PLATFORM).build()).allowed()).isTrue();
    }

    @Test
    void aUsersOwnLimitsReplaceTheDefaults() {
        gate.replacePlatformQuotaDefaults(PlatformQuotaDefaults.builder()
                .system(PLATFORM, new PeriodLimits(Limit.disabled(), Limit.unlimited(), Limit.unlimited())).build());
        platformLimits("2", null, null);
        assertThat(checkPlatform().allowed()).isTrue();
    }

    // ---- API key windows

    private Decision checkKey(String fiveHours, String oneDay, String sevenDays) {
        return gate.check(request().apiKey(KEY, new KeyLimits(limit(fiveHours), limit(oneDay), limit(sevenDays))).build());
    }

    @Test
    void apiKeyWindowsDenyFromTheirRollingStart() {
        gate.record(usage(q, "2").apiKeyId(KEY).build());
        Instant first = now;
        q.clock().advance(Duration.ofHours(1));
        now = q.clock().instant();
        Decision fiveHours = checkKey("2", null, null);
        assertDenied(fiveHours, DenyReason.API_KEY_RATE_5H_EXCEEDED, 429);
        assertResets(fiveHours, first.plus(Duration.ofHours(5)));
        Decision oneDay = checkKey(null, "2", null);
        assertDenied(oneDay, DenyReason.API_KEY_RATE_1D_EXCEEDED, 429);
        assertResets(oneDay, first.plus(Duration.ofDays(1)));
        Decision sevenDays = checkKey(null, null, "2");
        assertDenied(sevenDays, DenyReason.API_KEY_RATE_7D_EXCEEDED, 429);
        assertResets(sevenDays, first.plus(Duration.ofDays(7)));
    }

    @Test
    void apiKeyWindowsApplyInSubscriptionModeToo() {
        subscription(SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(10)), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
        gate.record(usage(q, "1").billingMode(BillingMode.SUBSCRIPTION).groupId(GROUP).apiKeyId(KEY).build());
        Decision d = gate.check(request().subscriptionGroup(GROUP, PeriodLimits.UNLIMITED, Limit.unlimited())
                .subscribed(true).apiKey(KEY, new KeyLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited()))
                .build());
        assertDenied(d, DenyReason.API_KEY_RATE_5H_EXCEEDED, 429);
    }

    @Test
    void anApiKeyWindowAllowsAgainOnceItExpired() {
        gate.record(usage(q, "2").apiKeyId(KEY).build());
        q.clock().advance(Duration.ofHours(5));
        assertThat(checkKey("2", null, null).allowed()).isTrue();
    }

    // ---- requests per minute

    @Test
    void groupRpmDeniesTheRequestAboveTheLimitUntilTheNextMinute() {
        var r = request().group(GROUP, Limit.of(2)).build();
        assertThat(gate.check(r).allowed()).isTrue();
        assertThat(gate.check(r).allowed()).isTrue();
        Decision third = gate.check(r);
        assertDenied(third, DenyReason.GROUP_RPM_EXCEEDED, 429);
        assertResets(third, Instant.parse("2026-11-18T02:01:00Z"));
        q.clock().advance(Duration.ofMinutes(1));
        assertThat(gate.check(r).allowed()).isTrue();
    }

    @Test
    void anOverrideReplacesTheGroupLimit() {
        q.rpmOverrides().set(USER, GROUP, 1);
        var r = dev.quota.core.CheckRequest.builder(USER).group(GROUP, Limit.of(100)).build();
        assertThat(gate.check(r).allowed()).isTrue();
        assertDenied(gate.check(r), DenyReason.GROUP_RPM_EXCEEDED, 429);
    }

    @Test
    void aLookedUpOverrideIsReusedForAMinuteInsteadOfQueryingTheStoreEachCheck() {
        q.rpmOverrides().set(USER, GROUP, 100);
        var r = dev.quota.core.CheckRequest.builder(USER).group(GROUP, Limit.of(100)).build();
        gate.check(r);
        gate.check(r);
        assertThat(q.storeFaults().calls("RpmOverrideStore.find")).isEqualTo(1);
        q.clock().advance(Duration.ofSeconds(60));
        gate.check(r);
        assertThat(q.storeFaults().calls("RpmOverrideStore.find")).isEqualTo(2);
    }

    @Test
    void overrideZeroExemptsTheGroupButTheUserLimitStillApplies() {
        var r = request().group(GROUP, Limit.of(1)).groupRpmOverride(0).userRpmLimit(Limit.of(2)).build();
        assertThat(gate.check(r).allowed()).isTrue();
        assertThat(gate.check(r).allowed()).isTrue();
        assertDenied(gate.check(r), DenyReason.USER_RPM_EXCEEDED, 429);
    }

    @Test
    void requestsDeniedEarlierAreNotCountedAgainstRpm() {
        q.balances().set(USER, usd("0"));
        var r = request().userRpmLimit(Limit.of(1)).build();
        for (int i = 0; i < 5; i++) {
            assertDenied(gate.check(r), DenyReason.INSUFFICIENT_BALANCE, 403);
        }
        q.balances().set(USER, usd("1"));
        gate.flush();
        q.cache().evict(EntryRef.balance(USER));
        assertThat(gate.check(r).allowed()).isTrue();
        assertDenied(gate.check(r), DenyReason.USER_RPM_EXCEEDED, 429);
    }

    @Test
    void breakerOpenAnswersBillingServiceErrorBeforeAnythingElse() {
        try (BillingGate g = q.gateBuilder().circuitBreaker(1, Duration.ofSeconds(30), 1).build()) {
            q.storeFaults().failNext(1);
            assertDenied(g.check(request().build()), DenyReason.BILLING_SERVICE_ERROR, 503);
            assertDenied(g.check(request().build()), DenyReason.BILLING_SERVICE_ERROR, 503);
            assertThat(q.storeFaults().calls("BalanceStore.find")).isEqualTo(1);
        }
    }
}
