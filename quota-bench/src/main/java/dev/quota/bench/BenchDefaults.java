package dev.quota.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings every JMH benchmark of this module shares: three warm-up and five measured iterations of two
 * seconds each, in one fork. JMH's annotations are inherited, so a benchmark extends this class (or
 * {@link PerCallBench}) and states only its mode.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
abstract class BenchDefaults {
}
