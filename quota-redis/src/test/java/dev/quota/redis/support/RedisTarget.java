package dev.quota.redis.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Redis the tests run against: the embedded server, the machine's server named by
 * {@code QUOTA_TEST_REDIS_URL}, or a local three-master cluster. Each test takes a fresh key prefix from
 * {@link #newPrefix()} so tests never see each other's keys; {@link #close()} deletes every key under the
 * target's prefixes (on servers the tests do not own) and releases the server.
 */
public abstract class RedisTarget implements AutoCloseable {

    private final String basePrefix = "qt" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger next = new AtomicInteger();

    /** @return a short name for messages */
    public abstract String name();

    /** @return the client the adapter under test uses */
    public abstract UnifiedJedis client();

    /**
     * @return true when the tests started this server and may reconfigure it (CONFIG, SCRIPT FLUSH): true unless
     *         a target says otherwise (the machine's server does)
     */
    public boolean ownsServer() {
        return true;
    }

    /** @return the prefix under which all this target's keys live */
    public String basePrefix() {
        return basePrefix;
    }

    /** @return a key prefix no other test uses */
    public String newPrefix() {
        return basePrefix + "-" + next.incrementAndGet();
    }
}
