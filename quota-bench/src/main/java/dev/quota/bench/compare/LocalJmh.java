package dev.quota.bench.compare;

import dev.quota.bench.BucketLocalBench;
import dev.quota.bench.EvaluatorBench;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A short JMH run, in a forked JVM, of Quota's pure evaluator ({@link EvaluatorBench#evaluateBillingAllowed}, nine
 * limits evaluated on a loaded state) beside Bucket4j's local bucket ({@link BucketLocalBench#tryConsume}, the
 * same seven money limits as bandwidths): the in-process cost of a decision, without Redis.
 */
public final class LocalJmh {

    /**
     * One benchmark's score.
     *
     * @param benchmark the benchmark method, {@code Class.method}
     * @param nanosPerOp the average time per operation, ns
     * @param error the 99.9 % confidence half-interval JMH reports, ns (NaN with too few iterations)
     */
    public record Score(String benchmark, double nanosPerOp, double error) {
    }

    /** The benchmarks this runs, in report order. */
    public static final List<String> BENCHMARKS =
            List.of(EvaluatorBench.class.getSimpleName() + ".evaluateBillingAllowed",
                    BucketLocalBench.class.getSimpleName() + ".tryConsume");

    private LocalJmh() {
    }

    /**
     * @param warmups warm-up iterations
     * @param iterations measured iterations
     * @param seconds seconds per iteration
     * @return the scores, in {@link #BENCHMARKS} order
     * @throws IllegalStateException when JMH fails
     */
    public static List<Score> run(int warmups, int iterations, int seconds) {
        List<Score> scores = new ArrayList<>();
        for (String name : BENCHMARKS) {
            Options options = new OptionsBuilder()
                    .include("dev\\.quota\\.bench\\." + name.replace(".", "\\.") + "$")
                    .forks(1).warmupIterations(warmups).measurementIterations(iterations)
                    .warmupTime(TimeValue.seconds(seconds)).measurementTime(TimeValue.seconds(seconds))
                    .shouldFailOnError(true)
                    .build();
            try {
                for (RunResult r : new Runner(options).run()) {
                    scores.add(new Score(name, r.getPrimaryResult().getScore(),
                            r.getPrimaryResult().getScoreError()));
                }
            } catch (RunnerException e) {
                throw new IllegalStateException("JMH failed on " + name, e);
            }
        }
        return scores;
    }
}
