package dev.quota.bench;

import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import java.util.OptionalLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import redis.clients.jedis.RedisClient;

/**
 * The {@link GateBench} benchmarks of the gate on the Redis adapter against an embedded {@code redis-server} over
 * loopback, with the in-memory stores as the SQL side ({@link RedisEnvironment}), and side by side:
 * <ul>
 *   <li>the adapter's raw round trips, {@link BillingCache#check} and {@link BillingCache#applyUsage} (one Lua
 *       script call each), to separate the gate's own work from Redis;</li>
 *   <li>the peer baseline: a hand-written two-command check, plain Jedis {@code GET} of a balance and
 *       {@code INCRBY} of an RPM counter, without a pipeline — what a gateway's own minimal check costs.</li>
 * </ul>
 * Client, server and JMH share the machine, so the figures include the server's CPU time.
 */
public class GateRedisBench extends GateBench {

    private RedisEnvironment redisEnv;
    private BillingCache cache;
    private RedisClient redis;
    private CacheCheck[] cacheChecks;

    /** Starts embedded Redis and a warm gate. */
    @Setup(Level.Trial)
    public void start() {
        redisEnv = RedisEnvironment.start(4);
        use(redisEnv);
        cache = redisEnv.cache();
        redis = redisEnv.redis();
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(Workload.ZONE);
        cacheChecks = new CacheCheck[requests.length];
        for (int i = 0; i < requests.length; i++) {
            cacheChecks[i] = new CacheCheck(requests[i], evaluator.rpmPlan(requests[i], OptionalLong.empty()),
                    Workload.NOW, Workload.ZONE);
        }
    }

    /** Stops everything, the server last. */
    @TearDown(Level.Trial)
    public void stop() {
        redisEnv.close();
    }

    /**
     * @param c this thread's caller
     * @return the adapter's raw check: one {@code EVALSHA} reading balance, platform quota and key usage and
     *         counting both RPM counters
     */
    @Benchmark
    public CheckView cacheCheck(Caller c) {
        return cache.check(cacheChecks[c.nextUser() - 1]);
    }

    /**
     * @param c this thread's caller
     * @return the adapter's raw record: one {@code EVALSHA} (idempotency marker, balance, platform and key windows)
     */
    @Benchmark
    public boolean cacheApplyUsage(Caller c) {
        return cache.applyUsage(Workload.event(c.nextRequestId(), c.nextUser()), Workload.NOW, Workload.ZONE);
    }

    /**
     * @param c this thread's caller
     * @return the peer baseline: {@code GET} balance, then {@code INCRBY} the RPM counter, two round trips
     */
    @Benchmark
    public boolean peerGetIncrby(Caller c) {
        return peer(redis, c.nextUser());
    }

    /**
     * @param c this thread's caller
     * @return the peer baseline, four threads at once
     */
    @Benchmark
    @Threads(4)
    public boolean peerGetIncrby4Threads(Caller c) {
        return peer(redis, c.nextUser());
    }

    private static boolean peer(RedisClient redis, long user) {
        String balance = redis.get(RedisEnvironment.peerBalanceKey(user));
        long count = redis.incrBy(RedisEnvironment.peerRpmKey(user), 1);
        return balance != null && Long.parseLong(balance) > 0 && count <= Workload.RPM.cap();
    }
}
