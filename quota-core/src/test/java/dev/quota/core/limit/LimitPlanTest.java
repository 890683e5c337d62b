package dev.quota.core.limit;

import static dev.quota.core.limit.EvaluatorFixture.GROUP;
import static dev.quota.core.limit.EvaluatorFixture.KEY;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.PLATFORM;
import static dev.quota.core.limit.EvaluatorFixture.USER;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.subscriptionRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.CheckRequest;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.window.WindowUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan of limit lines: which lines a request gets, in which order, and that each line names the fields its accessors read. */
class LimitPlanTest {

    private static final KeyLimits KEY_LIMITS = new KeyLimits(Limit.of(5), Limit.unlimited(), Limit.of(7));

    private static WindowUsage w(long used, long startOffsetMillis) {
        return new WindowUsage(used, NOW.minusMillis(startOffsetMillis));
    }

    /** A state whose every window has its own usage and start, so that a line reading the wrong field shows. */
    private static BillingState distinctState() {
        SubscriptionState sub = new SubscriptionState(USER, GROUP, SubscriptionStatus.ACTIVE, NOW.plusSeconds(99),
                w(11, 1), w(12, 2), w(13, 3));
        PeriodLimits platformLimits = new PeriodLimits(Limit.of(21), Limit.unlimited(), Limit.of(23));
        PlatformQuotaRecord pq = new PlatformQuotaRecord(USER, PLATFORM, platformLimits, w(31, 4), w(32, 5), w(33, 6));
        KeyUsage ku = new KeyUsage(USER, KEY, w(41, 7), w(42, 8), w(43, 9), w(44, 10));
        return new BillingState(Money.ofNanos(77), sub, pq, platformLimits, ku);
    }

    private static Map<String, String> encoded(CacheEntryKind kind, BillingState s) {
        return switch (kind) {
            case BALANCE -> BalanceEntry.encode(s.balance());
            case SUBSCRIPTION -> SubscriptionEntry.encode(s.subscription());
            case PLATFORM_QUOTA -> PlatformQuotaEntry.encode(s.platformQuota());
            case KEY_USAGE -> KeyUsageEntry.encode(s.keyUsage());
        };
    }

    @Test
    void everyLineOfEveryPlanNamesTheFieldsItsAccessorsRead() {
        BillingState state = distinctState();
        CheckRequest request = subscriptionRequest(new PeriodLimits(Limit.of(1), Limit.of(2), Limit.of(3)))
                .apiKey(KEY, KEY_LIMITS).platform(PLATFORM).build();
        int windows = 0;
        for (LimitPlan plan : LimitPlan.all()) {
            for (LimitLine line : plan.lines()) {
                Map<String, String> hash = encoded(line.entry(), state);
                assertThat(hash).as("%s", line).containsKeys(line.fields().toArray(new String[0]));
                if (line.kind() != LimitLine.Kind.WINDOW) {
                    continue;
                }
                windows++;
                WindowUsage usage = line.usage(state);
                assertThat(hash.get(line.usedField())).as("%s", line).isEqualTo(Long.toString(usage.used()));
                assertThat(hash.get(line.startField())).as("%s", line)
                        .isEqualTo(Long.toString(usage.start().toEpochMilli()));
                if (!line.cappedByRequest()) {
                    Long cap = line.cap(request, state).capOrNull();
                    assertThat(hash.get(line.capField())).as("%s", line).isEqualTo(cap == null ? "" : cap.toString());
                }
            }
        }
        assertThat(windows).isGreaterThan(10);
    }

    @Test
    void aBalanceRequestWithPlatformAndKeyGetsBalancePlatformThenKeyLines() {
        LimitPlan plan = LimitPlan.of(balanceRequest().platform(PLATFORM).apiKey(KEY, KEY_LIMITS).build());

        assertThat(plan.entries()).containsExactly(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA,
                CacheEntryKind.KEY_USAGE);
        assertThat(plan.lines()).extracting(LimitLine::reason).containsExactly(DenyReason.INSUFFICIENT_BALANCE,
                DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED,
                DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED, DenyReason.API_KEY_RATE_5H_EXCEEDED,
                DenyReason.API_KEY_RATE_1D_EXCEEDED, DenyReason.API_KEY_RATE_7D_EXCEEDED,
                DenyReason.API_KEY_TPM_EXCEEDED);
        assertThat(plan.lines()).extracting(LimitLine::holdScope).containsExactly(HoldScope.BALANCE,
                HoldScope.PLATFORM, HoldScope.PLATFORM, HoldScope.PLATFORM, HoldScope.KEY, HoldScope.KEY, HoldScope.KEY,
                null);
        assertThat(plan.lines().get(7).measure()).as("tokens per minute counts tokens").isEqualTo(Measure.TOKENS);
        assertThat(plan.lines().get(1).cappedByRequest()).as("platform caps live in the entry").isFalse();
        assertThat(plan.lines().get(4).requestCap(balanceRequest().apiKey(KEY, KEY_LIMITS).build()))
                .isEqualTo(Limit.of(5));
        assertThatThrownBy(() -> plan.lines().get(1).requestCap(balanceRequest().build()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSubscriptionRequestReadsOnlyTheSubscriptionAndAKeyWithoutLimitsAddsNoLines() {
        CheckRequest request = subscriptionRequest(PeriodLimits.UNLIMITED).platform(PLATFORM)
                .apiKey(KEY, KeyLimits.UNLIMITED).build();
        LimitPlan plan = LimitPlan.of(request);

        assertThat(plan.entries()).containsExactly(CacheEntryKind.SUBSCRIPTION);
        assertThat(plan.lines()).extracting(LimitLine::kind).containsExactly(LimitLine.Kind.SUBSCRIPTION_ACTIVE,
                LimitLine.Kind.WINDOW, LimitLine.Kind.WINDOW, LimitLine.Kind.WINDOW);
        assertThat(LimitPlan.of(balanceRequest().build()).lines()).extracting(LimitLine::kind)
                .containsExactly(LimitLine.Kind.BALANCE);
    }

    @Test
    void aKeyWithOnlyATokensPerMinuteLimitReadsItsUsageEntry() {
        CheckRequest request = balanceRequest().apiKey(KEY, KeyLimits.UNLIMITED, Limit.of(1_000)).build();

        assertThat(LimitPlan.of(request).entries()).containsExactly(CacheEntryKind.BALANCE, CacheEntryKind.KEY_USAGE);
        assertThat(LimitPlan.of(balanceRequest().apiKey(KEY, KeyLimits.UNLIMITED).build()).entries())
                .containsExactly(CacheEntryKind.BALANCE);
    }

    @Test
    void plansAreSharedPerShapeAndIndexedById() {
        List<LimitPlan> all = LimitPlan.all();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).id()).isEqualTo(i);
        }
        assertThat(LimitPlan.of(balanceRequest().apiKey(KEY, KEY_LIMITS).build()))
                .isSameAs(LimitPlan.of(CheckRequest.builder(USER + 1).apiKey(KEY + 1, KEY_LIMITS).build()));
    }
}
