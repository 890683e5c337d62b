package dev.quota.bench.compare;

import dev.quota.bench.Workload;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.UnifiedJedis;

/**
 * The peer of the comparison: Bucket4j's Jedis backend ({@code Bucket4jJedis.casBasedBuilder}, a
 * compare-and-swap proxy manager: each {@code tryConsume} reads the bucket with {@code GET} and writes it back
 * with an {@code EVAL} of a compare-and-swap script, retrying when another client changed it in between) holding
 * {@link BucketLimits} for each of {@link Workload#USERS} users and eight groups. The bucket proxies are built
 * once, as Quota's requests are. Thread-safe.
 */
public final class BucketPeer {

    private final BucketProxy[] users;
    private final BucketProxy[] groups;

    /**
     * @param redis the client (Bucket4j 8.17 is built against Jedis 4; the {@code UnifiedJedis} methods it calls,
     *              {@code eval(byte[], int, byte[]...)}, {@code get(byte[])} and {@code del(byte[])}, are the
     *              same in the project's Jedis)
     */
    public BucketPeer(UnifiedJedis redis) {
        ProxyManager<byte[]> manager = Bucket4jJedis.casBasedBuilder(redis).build();
        BucketConfiguration user = BucketLimits.user(true);
        BucketConfiguration group = BucketLimits.group();
        users = new BucketProxy[Workload.USERS];
        for (int u = 1; u <= Workload.USERS; u++) {
            users[u - 1] = manager.builder().build(key("b4j:u:" + u), user);
        }
        groups = new BucketProxy[8];
        for (int g = 1; g <= 8; g++) {
            groups[g - 1] = manager.builder().build(key("b4j:g:" + g), group);
        }
    }

    /**
     * One check: a token from the user's bucket, then (when it had one) from the user's group's bucket.
     *
     * @param user the user, 1 to {@link Workload#USERS}
     * @return true when both buckets gave a token
     */
    public boolean check(int user) {
        return users[user - 1].tryConsume(1) && groups[(int) Workload.groupId(user) - 1].tryConsume(1);
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
