/**
 * Benchmarks of Quota: JMH benchmarks of money arithmetic, the pure eligibility evaluator, the gate on the
 * in-memory testkit and the gate on an embedded Redis (side by side with a hand-written two-command Jedis
 * check), and {@link dev.quota.bench.LoadHarness}, a bounded multi-threaded load run that prints throughput,
 * latency percentiles and heap use, and {@link dev.quota.bench.RedisComparison}, one bounded command that measures the
 * Redis path beside Bucket4j's Jedis backend on a private redis-server and writes a Markdown report.
 *
 * <p>Speed and memory are measured here, never asserted. Run {@code java -jar quota-bench/target/benchmarks.jar}
 * after {@code mvn -B -q -pl quota-bench -am package -DskipTests}; see the module's README.
 */
package dev.quota.bench;
