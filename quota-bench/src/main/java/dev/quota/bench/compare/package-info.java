/**
 * The parts of {@link dev.quota.bench.RedisComparison}: a private redis-server ({@link
 * dev.quota.bench.compare.PrivateRedis}), a Jedis client that counts the commands it sends ({@link
 * dev.quota.bench.compare.CountingClient}), redis-server's own accounting ({@link
 * dev.quota.bench.compare.ServerStats}), a bounded closed-loop load ({@link dev.quota.bench.compare.ClosedLoop}),
 * the two sides ({@link dev.quota.bench.compare.QuotaSide}, {@link dev.quota.bench.compare.BucketPeer} with {@link
 * dev.quota.bench.compare.BucketLimits}), the redis-benchmark ceiling ({@link dev.quota.bench.compare.Ceiling}),
 * the JMH pair ({@link dev.quota.bench.compare.LocalJmh}) and the Markdown report ({@link
 * dev.quota.bench.compare.ComparisonReport}). Speed is measured here, never asserted.
 */
package dev.quota.bench.compare;
