package dev.quota.redis;

import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** Shared values and builders of the Redis adapter tests. */
final class Fixtures {

    /** A Tuesday morning in Berlin, millisecond precision. */
    static final Instant NOW = Instant.parse("2026-03-10T09:15:30.123Z");
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final String PLATFORM = "anthropic";
    static final long GROUP = 7;
    static final long KEY = 501;
    /** The model of a model cap; with a colon, as the key layout must allow. */
    static final String MODEL = "vendor:model-1";

    private Fixtures() {
    }

    static Money usd(String amount) {
        return Money.parse(amount);
    }

    static WindowUsage used(String usd, Instant start) {
        return new WindowUsage(usd(usd).nanos(), start);
    }

    static CheckRequest balanceRequest(long user, String platform, KeyLimits keyLimits) {
        return balanceRequest(user, platform, keyLimits, Limit.unlimited());
    }

    static CheckRequest balanceRequest(long user, String platform, KeyLimits keyLimits, Limit tokensPerMinute) {
        return balanceRequest(user, platform, keyLimits, tokensPerMinute, null);
    }

    /** With {@code modelCap} (unless null) the key's cap on {@link #MODEL}. */
    static CheckRequest balanceRequest(long user, String platform, KeyLimits keyLimits, Limit tokensPerMinute,
                                       KeyLimits modelCap) {
        CheckRequest.Builder b = CheckRequest.builder(user).group(GROUP, Limit.unlimited());
        if (platform != null) {
            b.platform(platform);
        }
        return withKey(b, keyLimits, tokensPerMinute, modelCap);
    }

    static CheckRequest subscriptionRequest(long user, PeriodLimits limits, KeyLimits keyLimits) {
        return subscriptionRequest(user, limits, keyLimits, Limit.unlimited());
    }

    static CheckRequest subscriptionRequest(long user, PeriodLimits limits, KeyLimits keyLimits,
                                            Limit tokensPerMinute) {
        return subscriptionRequest(user, limits, keyLimits, tokensPerMinute, null);
    }

    /** With {@code modelCap} (unless null) the key's cap on {@link #MODEL}. */
    static CheckRequest subscriptionRequest(long user, PeriodLimits limits, KeyLimits keyLimits,
                                            Limit tokensPerMinute, KeyLimits modelCap) {
        CheckRequest.Builder b = CheckRequest.builder(user).subscriptionGroup(GROUP, limits, Limit.unlimited())
                .subscribed(true).platform(PLATFORM);
        return withKey(b, keyLimits, tokensPerMinute, modelCap);
    }

    /** @return the request with {@link #KEY} (unless {@code keyLimits} is null) and its cap on {@link #MODEL} */
    private static CheckRequest withKey(CheckRequest.Builder b, KeyLimits keyLimits, Limit tokensPerMinute,
                                        KeyLimits modelCap) {
        if (keyLimits != null) {
            b.apiKey(KEY, keyLimits, tokensPerMinute);
            if (modelCap != null) {
                b.modelCap(MODEL, modelCap);
            }
        }
        return b.build();
    }

    static KeyLimits keyLimits(String fiveHours, String oneDay, String sevenDays) {
        return new KeyLimits(limit(fiveHours), limit(oneDay), limit(sevenDays));
    }

    static PeriodLimits periodLimits(String daily, String weekly, String monthly) {
        return new PeriodLimits(limit(daily), limit(weekly), limit(monthly));
    }

    /** @param usd a dollar amount, or null for unset */
    static Limit limit(String usd) {
        return usd == null ? Limit.unlimited() : Limit.of(usd(usd));
    }

    static RpmPlan rpm(Long groupCap, Long userCap) {
        return new RpmPlan(groupCap == null ? null : Limit.of(groupCap), userCap == null ? null : Limit.of(userCap));
    }

    static CacheCheck check(CheckRequest request, RpmPlan plan) {
        return new CacheCheck(request, plan, NOW, ZONE);
    }

    static CacheCheck check(CheckRequest request, RpmPlan plan, Instant now) {
        return new CacheCheck(request, plan, now, ZONE);
    }

    static PlatformQuotaRecord platformQuota(long user, PeriodLimits limits, WindowUsage daily, WindowUsage weekly,
                                             WindowUsage monthly) {
        return new PlatformQuotaRecord(user, PLATFORM, limits, daily, weekly, monthly);
    }

    static KeyUsage keyUsage(long user, WindowUsage w5h, WindowUsage w1d, WindowUsage w7d) {
        return new KeyUsage(user, KEY, w5h, w1d, w7d);
    }

    static SubscriptionState subscription(long user, SubscriptionStatus status, Instant expiresAt,
                                          WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {
        return new SubscriptionState(user, GROUP, status, expiresAt, daily, weekly, monthly);
    }

    static SubscriptionState activeSubscription(long user) {
        return subscription(user, SubscriptionStatus.ACTIVE, NOW.plus(Duration.ofDays(10)),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    static UsageEvent balanceEvent(String requestId, long user, Money cost, String platform, Long apiKey) {
        UsageEvent.Builder b = UsageEvent.builder(requestId, user).groupId(GROUP).actualCost(cost).totalCost(cost)
                .occurredAt(NOW);
        if (platform != null) {
            b.platform(platform);
        }
        if (apiKey != null) {
            b.apiKeyId(apiKey);
        }
        return b.build();
    }

    static UsageEvent subscriptionEvent(String requestId, long user, Money cost, Long apiKey) {
        UsageEvent.Builder b = UsageEvent.builder(requestId, user).groupId(GROUP).billingMode(BillingMode.SUBSCRIPTION)
                .platform(PLATFORM).actualCost(cost).totalCost(cost).occurredAt(NOW);
        if (apiKey != null) {
            b.apiKeyId(apiKey);
        }
        return b.build();
    }
}
