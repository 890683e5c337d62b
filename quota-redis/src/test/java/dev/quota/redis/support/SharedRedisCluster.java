package dev.quota.redis.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * One local Redis Cluster for every test class of a run that declares
 * {@code @ExtendWith(SharedRedisCluster.class)}: started by the first such class, kept in JUnit's root store
 * and closed (processes killed, directory deleted) when the whole run ends. Classes get it from
 * {@link #get()} in their {@code @BeforeAll} (this callback runs before those methods); closing what
 * {@link #get()} returns is a no-op, so each class may close its target as usual.
 */
public final class SharedRedisCluster implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedRedisCluster.class);
    private static volatile LocalRedisCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(LocalRedisCluster.class, k -> LocalRedisCluster.start(), LocalRedisCluster.class);
    }

    /** @return the run's cluster, as a target whose {@link RedisTarget#close()} leaves it running */
    public static RedisTarget get() {
        LocalRedisCluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("declare @ExtendWith(SharedRedisCluster.class) on the test class");
        }
        return new RedisTarget() {
            @Override
            public String name() {
                return c.name();
            }

            @Override
            public UnifiedJedis client() {
                return c.client();
            }

            @Override
            public String newPrefix() {
                return c.newPrefix();
            }

            @Override
            public void close() {
                // the cluster outlives the class; JUnit closes it at the end of the run
            }
        };
    }

    /** @return the run's cluster itself (node ports, slot layout) */
    public static LocalRedisCluster cluster() {
        LocalRedisCluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("declare @ExtendWith(SharedRedisCluster.class) on the test class");
        }
        return c;
    }
}
