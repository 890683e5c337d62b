package dev.quota.bench;

import dev.quota.core.Decision;
import dev.quota.core.limit.BillingState;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The pure {@link EligibilityEvaluator#evaluateBilling} on a typical balance-mode request ({@link Workload}):
 * a positive balance, user × platform daily / weekly / monthly quotas with usage in every window, and an API
 * key with 5 h / 1 d / 7 d limits and usage in every window — nine window evaluations in the business zone.
 * Also the same request denied by the platform's daily quota (a denial computes the window's reset time).
 */
public class EvaluatorBench extends PerCallBench {

    private EligibilityEvaluator evaluator;
    private CheckRequest request;
    private BillingState allowed;
    private BillingState deniedDaily;
    private Instant now;

    /** Builds the request and the two loaded states. */
    @Setup
    public void setUp() {
        evaluator = EligibilityEvaluator.inZone(Workload.ZONE);
        request = Workload.request(42, true);
        now = Workload.NOW;
        Instant todayStart = Instant.parse("2026-11-23T16:00:00Z");   // 00:00 in Shanghai
        Instant weekStart = Instant.parse("2026-11-22T16:00:00Z");    // Monday 00:00 in Shanghai
        Instant monthStart = now.minus(Duration.ofDays(12));
        PlatformQuotaRecord platform = new PlatformQuotaRecord(42, Workload.PLATFORM, null,
                new WindowUsage(Money.parse("3.20").nanos(), todayStart),
                new WindowUsage(Money.parse("11.75").nanos(), weekStart),
                new WindowUsage(Money.parse("48.10").nanos(), monthStart));
        KeyUsage key = new KeyUsage(42, Workload.keyId(42),
                new WindowUsage(Money.parse("0.90").nanos(), now.minus(Duration.ofHours(2))),
                new WindowUsage(Money.parse("2.40").nanos(), now.minus(Duration.ofHours(9))),
                new WindowUsage(Money.parse("9.00").nanos(), now.minus(Duration.ofDays(3))));
        allowed = new BillingState(Money.parse("25.50"), null, platform, Workload.PLATFORM_LIMITS, key);
        PeriodLimits tightDaily = new PeriodLimits(Limit.of(Money.parse("3")), Workload.PLATFORM_LIMITS.weekly(),
                Workload.PLATFORM_LIMITS.monthly());
        deniedDaily = new BillingState(Money.parse("25.50"), null, platform, tightDaily, key);
        if (evaluator.evaluateBilling(request, allowed, now).denied()
                || evaluator.evaluateBilling(request, deniedDaily, now).allowed()) {
            throw new IllegalStateException("fixture does not decide as intended");
        }
    }

    /**
     * @return the decision of a request that passes every check (the common case)
     */
    @Benchmark
    public Decision evaluateBillingAllowed() {
        return evaluator.evaluateBilling(request, allowed, now);
    }

    /**
     * @return the decision of a request denied by the platform's daily quota
     */
    @Benchmark
    public Decision evaluateBillingDenied() {
        return evaluator.evaluateBilling(request, deniedDaily, now);
    }
}
