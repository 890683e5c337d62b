package dev.quota.bench;

import dev.quota.bench.compare.BucketLimits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bucket4j's local (in-process, lock-free) bucket beside {@link EvaluatorBench}: {@code tryConsume(1)} on a
 * bucket holding the seven limits the evaluator decides (balance, three platform windows, three key windows; see
 * {@link BucketLimits#user(boolean)}), with capacities no run reaches, so every call succeeds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BucketLocalBench {

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
