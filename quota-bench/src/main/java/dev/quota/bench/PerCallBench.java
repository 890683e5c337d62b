package dev.quota.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The settings of the single-threaded micro benchmarks: the benchmark is its own per-thread state and reports
 * the average time of one call in nanoseconds (plus the {@link BenchDefaults} iterations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
abstract class PerCallBench extends BenchDefaults {
}
