package dev.quota.bench.compare;

import dev.quota.bench.Workload;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import java.time.Duration;

/**
 * The Bucket4j limits closest to Quota's benchmark workload ({@link dev.quota.bench.Workload}). Bucket4j has one
 * token count per bucket, consumed by every bandwidth of the bucket at once, so each of Quota's limits becomes a
 * bandwidth counting requests (one token per request), every one with a capacity ({@value #CAPACITY}) that no
 * run reaches, as in the workload:
 *
 * <ul>
 *   <li>the balance: a bandwidth that refills once in ten years (a balance does not refill by itself);</li>
 *   <li>the user × platform daily / weekly / 30-day quotas: bandwidths refilled intervally every 1 / 7 / 30 days
 *       (Quota's are calendar windows in the business zone, Bucket4j's start at the bucket's creation);</li>
 *   <li>the API key's 5 h / 1 d / 7 d limits: bandwidths refilled intervally every 5 h / 1 d / 7 d;</li>
 *   <li>the user RPM: a bandwidth refilled intervally every minute;</li>
 *   <li>the group RPM: a separate bucket per group (it is shared by the group's users), one bandwidth refilled
 *       intervally every minute.</li>
 * </ul>
 *
 * The per-user bucket holds the first eight, so one Bucket4j check is a {@code tryConsume(1)} on the user's
 * bucket and then, when that passed, on the group's bucket: two compare-and-swap updates, as Quota's check
 * counts the user and the group RPM only when every other limit passed. The money limits count requests, not
 * money: a check in Quota does not spend either (spending is {@code record}).
 */
public final class BucketLimits {

    /** Every bandwidth's capacity and refill (as {@link Workload#RPM}): far above what a run reaches. */
    public static final long CAPACITY = 1_000_000_000L;

    private BucketLimits() {
    }

    /**
     * @param withUserRpm true to add the user RPM bandwidth (the Redis bucket); false for exactly the limits
     *                    {@link dev.quota.core.limit.EligibilityEvaluator} evaluates (balance, three platform and
     *                    three key windows), for the local bucket beside the evaluator
     * @return the per-user bucket's configuration
     */
    public static BucketConfiguration user(boolean withUserRpm) {
        ConfigurationBuilder b = BucketConfiguration.builder()
                .addLimit(window("balance", Duration.ofDays(3650)))
                .addLimit(window("platform-day", Duration.ofDays(1)))
                .addLimit(window("platform-week", Duration.ofDays(7)))
                .addLimit(window("platform-30d", Duration.ofDays(30)))
                .addLimit(window("key-5h", Duration.ofHours(5)))
                .addLimit(window("key-1d", Duration.ofDays(1)))
                .addLimit(window("key-7d", Duration.ofDays(7)));
        if (withUserRpm) {
            b.addLimit(window("user-rpm", Duration.ofMinutes(1)));
        }
        return b.build();
    }

    /** @return the per-group bucket's configuration (the group RPM) */
    public static BucketConfiguration group() {
        return BucketConfiguration.builder().addLimit(window("group-rpm", Duration.ofMinutes(1))).build();
    }

    private static Bandwidth window(String id, Duration period) {
        return Bandwidth.builder().capacity(CAPACITY).refillIntervally(CAPACITY, period).id(id).build();
    }
}
