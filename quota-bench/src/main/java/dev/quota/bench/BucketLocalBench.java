package dev.quota.bench;

import dev.quota.bench.compare.BucketLimits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Bucket4j's local (in-process, lock-free) bucket beside {@link EvaluatorBench}: {@code tryConsume(1)} on a
 * bucket holding the seven limits the evaluator decides (balance, three platform windows, three key windows; see
 * {@link BucketLimits#user(boolean)}), with capacities no run reaches, so every call succeeds.
 */
public class BucketLocalBench extends PerCallBench {

    private Bucket bucket;

    /** Builds the bucket. */
    @Setup
    public void setUp() {
        LocalBucketBuilder builder = Bucket.builder();
        for (Bandwidth limit : BucketLimits.user(false).getBandwidths()) {
            builder.addLimit(limit);
        }
        bucket = builder.build();
    }

    /**
     * @return true (a token was taken)
     */
    @Benchmark
    public boolean tryConsume() {
        return bucket.tryConsume(1);
    }
}
