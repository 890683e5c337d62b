package dev.quota.redis.support;

import dev.quota.redis.TestScripts;
import java.net.URI;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The machine's Redis named by {@code QUOTA_TEST_REDIS_URL} (e.g. {@code redis://127.0.0.1:6379} or
 * {@code redis://:password@host:6379/2}). The tests do not own it: they only touch keys under their own
 * prefix and delete them afterwards with SCAN + DEL, and the adapter's function library (a Redis 7 server
 * has it loaded by the first script call; any later call loads it again); they never flush or reconfigure it.
 * Opening fails
 * (it does not skip) when the server does not answer.
 */
public final class RealRedis extends RedisTarget {

    /** The environment variable naming the server. */
    public static final String ENV = "QUOTA_TEST_REDIS_URL";

    private final String url;
    private final RedisClient client;

    private RealRedis(String url) {
        this.url = url;
        this.client = RedisClient.builder()
                .fromURI(URI.create(url))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build())
                .build();
        try {
            String pong = client.ping();
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("unexpected PING reply " + pong);
            }
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException(ENV + "=" + url + " is set but the server is unreachable", e);
        }
    }

    /**
     * Connects to the server named by {@link #ENV}.
     *
     * @return the target
     * @throws IllegalStateException if the variable is unset or the server does not answer
     */
    public static RealRedis fromEnvironment() {
        String url = System.getenv(ENV);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(ENV + " is not set");
        }
        return new RealRedis(url);
    }

    @Override
    public String name() {
        return "real:" + URI.create(url).getHost() + ":" + URI.create(url).getPort();
    }

    @Override
    public UnifiedJedis client() {
        return client;
    }

    @Override
    public boolean ownsServer() {
        return false;
    }

    /**
     * Deletes every key under this target's prefix.
     *
     * @return how many keys were deleted
     */
    public long deleteOwnKeys() {
        long deleted = 0;
        ScanParams params = new ScanParams().match(basePrefix() + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            List<String> found = page.getResult();
            for (String key : found) {
                deleted += client.del(key);
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    /** Deletes this adapter version's function library, if the server has functions and holds it. */
    public void deleteFunctionLibrary() {
        try {
            client.functionDelete(TestScripts.libraryName());
        } catch (JedisDataException e) {
            // before Redis 7 (no FUNCTION command), or not loaded: nothing to delete
        }
    }

    @Override
    public void close() {
        try {
            deleteOwnKeys();
            deleteFunctionLibrary();
        } finally {
            client.close();
        }
    }
}
