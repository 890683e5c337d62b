package dev.quota.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Shared fixed time, ids and builders for the eligibility specifications. */
final class EvaluatorFixture {

    /** The business zone: local midnight differs from UTC midnight by eight hours. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final EligibilityEvaluator EVALUATOR = EligibilityEvaluator.inZone(ZONE);
    /** Wednesday 2026-11-18, 18:15:30 in Shanghai. */
    static final Instant NOW = Instant.parse("2026-11-18T10:15:30Z");
    /** Thursday 2026-11-19 00:00 in Shanghai. */
    static final Instant NEXT_LOCAL_MIDNIGHT = Instant.parse("2026-11-18T16:00:00Z");
    /** Wednesday 2026-11-18 00:00 in Shanghai. */
    static final Instant TODAY_LOCAL_MIDNIGHT = Instant.parse("2026-11-17T16:00:00Z");
    /** Monday 2026-11-16 00:00 in Shanghai. */
    static final Instant THIS_LOCAL_MONDAY = Instant.parse("2026-11-15T16:00:00Z");
    /** Monday 2026-11-23 00:00 in Shanghai. */
    static final Instant NEXT_LOCAL_MONDAY = Instant.parse("2026-11-22T16:00:00Z");

    static final long USER = 42;
    static final long GROUP = 7;
    static final long KEY = 99;
    static final String PLATFORM = "anthropic";

    private EvaluatorFixture() {
    }

    /**
     * Asserts a 429 denial for {@code reason} that lifts at {@code resetsAt}, {@code retryAfter} from now.
     */
    static void assertDeniedUntil(Decision d, DenyReason reason, Instant resetsAt, Duration retryAfter) {
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.httpStatus()).isEqualTo(429);
        assertThat(d.resetsAt()).isEqualTo(resetsAt);
        assertThat(d.retryAfter()).isEqualTo(retryAfter);
    }

    static long usd(long units) {
        return Money.ofUnits(units).nanos();
    }

    static Limit capUsd(long units) {
        return Limit.of(Money.ofUnits(units));
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static WindowUsage used(long nanos, Instant start) {
        return new WindowUsage(nanos, start);
    }

    static PeriodLimits daily(Limit limit) {
        return new PeriodLimits(limit, Limit.unlimited(), Limit.unlimited());
    }

    static PeriodLimits weekly(Limit limit) {
        return new PeriodLimits(Limit.unlimited(), limit, Limit.unlimited());
    }

    static PeriodLimits monthly(Limit limit) {
        return new PeriodLimits(Limit.unlimited(), Limit.unlimited(), limit);
    }

    /** A balance-mode request: no group. */
    static CheckRequest.Builder balanceRequest() {
        return CheckRequest.builder(USER);
    }

    /** A subscription-mode request: a subscription group the user is subscribed to. */
    static CheckRequest.Builder subscriptionRequest(PeriodLimits limits) {
        return CheckRequest.builder(USER).subscriptionGroup(GROUP, limits, Limit.unlimited()).subscribed(true);
    }

    static KeyLimits keyLimits(KeyWindow window, Limit limit) {
        return new KeyLimits(
                window == KeyWindow.FIVE_HOURS ? limit : Limit.unlimited(),
                window == KeyWindow.ONE_DAY ? limit : Limit.unlimited(),
                window == KeyWindow.SEVEN_DAYS ? limit : Limit.unlimited());
    }

    static KeyUsage keyUsage(KeyWindow window, WindowUsage usage) {
        return new KeyUsage(USER, KEY,
                window == KeyWindow.FIVE_HOURS ? usage : WindowUsage.EMPTY,
                window == KeyWindow.ONE_DAY ? usage : WindowUsage.EMPTY,
                window == KeyWindow.SEVEN_DAYS ? usage : WindowUsage.EMPTY);
    }

    static SubscriptionState subscription(SubscriptionStatus status, Instant expiresAt,
                                          WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {
        return new SubscriptionState(USER, GROUP, status, expiresAt, daily, weekly, monthly);
    }

    static SubscriptionState activeSubscription(WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {
        return subscription(SubscriptionStatus.ACTIVE, NOW.plus(Duration.ofDays(20)), daily, weekly, monthly);
    }

    static SubscriptionState activeSubscription() {
        return activeSubscription(WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    static PlatformQuotaRecord platformUsage(WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {
        return new PlatformQuotaRecord(USER, PLATFORM, null, daily, weekly, monthly);
    }

    static State state() {
        return new State();
    }

    /** Builds a {@link BillingState}; by default a positive balance and nothing else. */
    static final class State {
        private Money balance = Money.ofUnits(100);
        private SubscriptionState subscription;
        private PlatformQuotaRecord platformQuota;
        private PeriodLimits platformLimits;
        private KeyUsage keyUsage;

        State balance(Money b) {
            this.balance = b;
            return this;
        }

        State subscription(SubscriptionState s) {
            this.subscription = s;
            return this;
        }

        State platform(PeriodLimits limits, PlatformQuotaRecord usage) {
            this.platformLimits = limits;
            this.platformQuota = usage;
            return this;
        }

        State keyUsage(KeyUsage u) {
            this.keyUsage = u;
            return this;
        }

        BillingState build() {
            return new BillingState(balance, subscription, platformQuota, platformLimits, keyUsage);
        }
    }

    /** An {@link RpmCounts} that records every increment and answers preset counts (1 by default). */
    static final class RecordingRpmCounts implements RpmCounts {
        private final Map<RpmScope, Long> answers = new EnumMap<>(RpmScope.class);
        final List<RpmScope> increments = new ArrayList<>();

        RecordingRpmCounts answering(RpmScope scope, long count) {
            answers.put(scope, count);
            return this;
        }

        @Override
        public long incrementAndGet(RpmScope scope) {
            increments.add(scope);
            return answers.getOrDefault(scope, 1L);
        }
    }
}
