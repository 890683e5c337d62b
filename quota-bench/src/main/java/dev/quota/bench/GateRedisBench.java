package dev.quota.bench;

import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import redis.clients.jedis.RedisClient;

/**
 * The gate on the Redis adapter against an embedded {@code redis-server} over loopback, with the in-memory
 * stores as the SQL side ({@link RedisEnvironment}), and side by side:
 * <ul>
 *   <li>the adapter's raw round trips, {@link BillingCache#check} and {@link BillingCache#applyUsage} (one Lua
 *       script call each), to separate the gate's own work from Redis;</li>
 *   <li>the peer baseline: a hand-written two-command check, plain Jedis {@code GET} of a balance and
 *       {@code INCRBY} of an RPM counter, without a pipeline — what a gateway's own minimal check costs.</li>
 * </ul>
 * Throughput (operations per second, summed over threads). Client, server and JMH share the machine, so the
 * figures include the server's CPU time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GateRedisBench extends BenchDefaults {

    /** The server, the client, the adapter and the gate, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Env {
        RedisEnvironment env;
        BillingCache cache;
        RedisClient redis;
        CheckRequest[] requests;
        CheckRequest[] requestsWithOverrideLookup;
        CacheCheck[] cacheChecks;

        /** Starts embedded Redis and a warm gate. */
        @Setup(Level.Trial)
        public void start() {
            env = RedisEnvironment.start(4);
            cache = env.cache();
            redis = env.redis();
            requests = Workload.requests(true);
            requestsWithOverrideLookup = Workload.requests(false);
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
            env.close();
        }
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision of a warm check (one script call)
     */
    @Benchmark
    public Decision gateCheck(Env e, Caller c) {
        return e.env.gate().check(e.requests[c.nextUser() - 1]);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision, four threads at once
     */
    @Benchmark
    @Threads(4)
    public Decision gateCheck4Threads(Env e, Caller c) {
        return e.env.gate().check(e.requests[c.nextUser() - 1]);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision of a request built as in the README (no stated override: one override store lookup
     *         per check besides the script call)
     */
    @Benchmark
    public Decision gateCheckWithOverrideLookup(Env e, Caller c) {
        return e.env.gate().check(e.requestsWithOverrideLookup[c.nextUser() - 1]);
    }

    /**
     * Records one request: one script call, then the in-memory ledger.
     *
     * @param e the environment
     * @param c this thread's caller
     */
    @Benchmark
    public void gateRecord(Env e, Caller c) {
        e.env.gate().record(Workload.event(c.nextRequestId(), c.nextUser()));
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the adapter's raw check: one {@code EVALSHA} reading balance, platform quota and key usage and
     *         counting both RPM counters
     */
    @Benchmark
    public CheckView cacheCheck(Env e, Caller c) {
        return e.cache.check(e.cacheChecks[c.nextUser() - 1]);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the adapter's raw record: one {@code EVALSHA} (idempotency marker, balance, platform and key windows)
     */
    @Benchmark
    public boolean cacheApplyUsage(Env e, Caller c) {
        return e.cache.applyUsage(Workload.event(c.nextRequestId(), c.nextUser()), Workload.NOW, Workload.ZONE);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the peer baseline: {@code GET} balance, then {@code INCRBY} the RPM counter, two round trips
     */
    @Benchmark
    public boolean peerGetIncrby(Env e, Caller c) {
        return peer(e.redis, c.nextUser());
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the peer baseline, four threads at once
     */
    @Benchmark
    @Threads(4)
    public boolean peerGetIncrby4Threads(Env e, Caller c) {
        return peer(e.redis, c.nextUser());
    }

    private static boolean peer(RedisClient redis, long user) {
        String balance = redis.get(RedisEnvironment.peerBalanceKey(user));
        long count = redis.incrBy(RedisEnvironment.peerRpmKey(user), 1);
        return balance != null && Long.parseLong(balance) > 0 && count <= Workload.RPM.cap();
    }
}
