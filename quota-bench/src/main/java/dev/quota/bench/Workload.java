package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.InMemoryQuota;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The workload every benchmark and the load harness share: a typical balance-mode request of an AI-API
 * gateway (user, API key with 5 h / 1 d / 7 d spend limits, a group with an RPM limit, a user RPM limit and the
 * {@value #PLATFORM} platform with daily / weekly / monthly quotas), spread over {@value #USERS} users so that
 * caches are warm but keys vary.
 *
 * <p>Every limit is far above what a run can reach, so every check walks the whole allow path (all windows and
 * both RPM counters are read and counted) and nothing is denied. Time is a fixed instant ({@link #NOW}), so
 * windows never roll during a run. Stateless and thread-safe.
 */
public final class Workload {

    /** How many distinct users the requests are spread over. */
    public static final int USERS = 1000;
    /** The platform every request targets. */
    public static final String PLATFORM = "anthropic";
    /** The business zone. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The fixed "now" of every run: a Tuesday, 12:00 in {@link #ZONE}, far from any window boundary. */
    public static final Instant NOW = Instant.parse("2026-11-24T04:00:00Z");
    /** Every user's starting balance: large enough never to run out during a run. */
    public static final Money BALANCE = Money.ofUnits(1_000_000);
    /** The cost recorded per request (a typical small chat completion). */
    public static final Money COST = Money.parse("0.0081");
    /** The API keys' 5 h / 1 d / 7 d spend limits. */
    public static final KeyLimits KEY_LIMITS = new KeyLimits(
            Limit.of(Money.ofUnits(100_000)), Limit.of(Money.ofUnits(200_000)), Limit.of(Money.ofUnits(1_000_000)));
    /** The user × platform daily / weekly / monthly quotas, as a system default. */
    public static final PeriodLimits PLATFORM_LIMITS = new PeriodLimits(
            Limit.of(Money.ofUnits(100_000)), Limit.of(Money.ofUnits(500_000)), Limit.of(Money.ofUnits(1_000_000)));
    /**
     * The group and user RPM caps: counted on every check but never reached (a cap like 60 would turn most of a
     * benchmark into denials once its minute bucket filled, and the fixed clock never rolls the bucket).
     */
    public static final Limit RPM = Limit.of(1_000_000_000L);

    private Workload() {
    }

    /**
     * @param userId a user, 1 to {@link #USERS}
     * @return the user's single API key id
     */
    public static long keyId(long userId) {
        return 100_000L + userId;
    }

    /**
     * @param userId a user
     * @return the (balance-billed) group the user's key belongs to, one of eight
     */
    public static long groupId(long userId) {
        return 1 + userId % 8;
    }

    /**
     * @return the platform quota defaults: {@link #PLATFORM_LIMITS} on {@link #PLATFORM}
     */
    public static PlatformQuotaDefaults platformDefaults() {
        return PlatformQuotaDefaults.builder().system(PLATFORM, PLATFORM_LIMITS).build();
    }

    /**
     * The check of one request.
     *
     * @param userId the user, 1 to {@link #USERS}
     * @param overrideKnown true to state that the user has no group RPM override (no override lookup per check);
     *                      false for a request built as in the README's quickstart, which makes the gate look the
     *                      override up in its {@code RpmOverrideStore} on every check
     * @return the request
     */
    public static CheckRequest request(long userId, boolean overrideKnown) {
        CheckRequest.Builder b = CheckRequest.builder(userId)
                .userRpmLimit(RPM)
                .apiKey(keyId(userId), KEY_LIMITS)
                .group(groupId(userId), RPM)
                .platform(PLATFORM);
        if (overrideKnown) {
            b.noGroupRpmOverride();
        }
        return b.build();
    }

    /**
     * @param overrideKnown see {@link #request(long, boolean)}
     * @return the requests of users 1 to {@link #USERS}, at index {@code userId - 1}
     */
    public static CheckRequest[] requests(boolean overrideKnown) {
        CheckRequest[] all = new CheckRequest[USERS];
        for (int i = 0; i < USERS; i++) {
            all[i] = request(i + 1, overrideKnown);
        }
        return all;
    }

    /**
     * The usage of one completed request, as a gateway records it.
     *
     * @param requestId a unique request id
     * @param userId the user
     * @return the event, at {@link #NOW}
     */
    public static UsageEvent event(String requestId, long userId) {
        return UsageEvent.builder(requestId, userId)
                .apiKeyId(keyId(userId)).groupId(groupId(userId)).platform(PLATFORM)
                .model("claude-sonnet-4").tokens(1200, 300, 0, 0)
                .totalCost(COST).responseTimeMs(850)
                .occurredAt(NOW).build();
    }

    /**
     * Gives every user the starting balance in the in-memory stores.
     *
     * @param quota the in-memory fakes
     */
    public static void seed(InMemoryQuota quota) {
        for (long u = 1; u <= USERS; u++) {
            quota.balances().set(u, BALANCE);
        }
    }

    /**
     * Warms a gate's cache: checks every request once (each miss loads from the stores and queues a refill),
     * waits for the refills, then checks every request again so that the second pass runs on cache hits.
     *
     * @param gate the gate
     * @param requests the requests to warm
     */
    public static void warm(BillingGate gate, CheckRequest[] requests) {
        for (CheckRequest r : requests) {
            gate.check(r);
        }
        gate.flush();
        for (CheckRequest r : requests) {
            gate.check(r);
        }
    }
}
