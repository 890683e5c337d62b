package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.testkit.InMemoryQuota;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A {@link BillingGate} on the Redis adapter: an embedded {@code redis-server} (a real server binary shipped in
 * the embedded-redis jar, without persistence) on a free loopback port, a pooled Jedis {@link RedisClient},
 * {@link RedisQuota} as cache and RPM counter, and the in-memory testkit stores as the SQL side (so the
 * figures show Redis and the library, not a database). Clock fixed at {@link Workload#NOW}; seeded with
 * {@link Workload#USERS} users and warmed so that every check finds its entries in Redis.
 *
 * <p>With {@value #EXTERNAL_PROPERTY} set, it uses that private server on loopback instead of the embedded one.
 *
 * <p>It also seeds the keys of a hand-written peer check ({@link #peerBalanceKey}, {@link #peerRpmKey}).
 * Thread-safe like the gate and the client; {@link #close()} stops the server.
 */
public final class RedisEnvironment extends GateEnvironment {

    private final Path dir;
    private final RedisServer server;
    private final RedisClient redis;
    private final RedisQuota adapter;
    private final int port;

    private RedisEnvironment(int clientThreads) throws IOException {
        String external = System.getProperty(EXTERNAL_PROPERTY);
        if (external == null) {
            port = freePort();
            this.dir = Files.createTempDirectory("quota-bench-redis");
            this.server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").setting("dir " + dir.toAbsolutePath()).build();
            server.start();
        } else {
            port = externalPort(external);
            this.dir = null;
            this.server = null;
        }
        try {
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            // the callers plus the gate's cache-write workers (10) and store loaders, so nobody waits for a connection
            pool.setMaxTotal(clientThreads + 16);
            pool.setMaxIdle(clientThreads + 16);
            this.redis = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", port)).poolConfig(pool).build();
            this.adapter = RedisQuota.create(redis, RedisQuotaOptions.builder()
                    .functions(Boolean.parseBoolean(System.getProperty(FUNCTIONS_PROPERTY, "true"))).build());
            InMemoryQuota stores = stores();
            startGate(BillingGate.builder()
                    .cache(adapter.billingCache()).rpmCounter(adapter.rpmCounter()).outbox(adapter.usageOutbox())
                    .balances(stores.balances()).subscriptions(stores.subscriptions())
                    .platformQuotas(stores.platformQuotas()).windowCounters(stores.windowCounters())
                    .rpmOverrides(stores.rpmOverrides()).usageSink(stores.usageSink())
                    .clock(clock()).zone(Workload.ZONE));
            seedPeer();
        } catch (RuntimeException e) {
            stopServer();
            throw e;
        }
    }

    /**
     * Starts the server and wires and warms the gate.
     *
     * @param clientThreads how many threads will call the gate or the client at once (sizes the connection pool)
     * @return the running environment
     * @throws UncheckedIOException when the server cannot start
     */
    public static RedisEnvironment start(int clientThreads) {
        try {
            return new RedisEnvironment(clientThreads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Redis", e);
        }
    }

    /**
     * Names a private redis-server on loopback to use instead of starting the embedded one, as its port
     * ({@code -Dquota.bench.redis.port=6390}): for measuring another server version, or a server run under a
     * profiler. It must be a server of its own: the run writes thousands of keys and never deletes them.
     */
    public static final String EXTERNAL_PROPERTY = "quota.bench.redis.port";

    /**
     * {@code -Dquota.bench.redis.functions=false} runs the adapter's scripts with {@code EVALSHA} even on a Redis
     * that has functions ({@link RedisQuotaOptions.Builder#functions}); default true (functions on Redis 7, the
     * embedded 6.2 server has none).
     */
    public static final String FUNCTIONS_PROPERTY = "quota.bench.redis.functions";

    private static int externalPort(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(EXTERNAL_PROPERTY + " must be a port number: " + value);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void seedPeer() {
        for (long u = 1; u <= Workload.USERS; u++) {
            redis.set(peerBalanceKey(u), Long.toString(Workload.BALANCE.nanos()));
        }
    }

    /**
     * @param userId a user
     * @return the balance key of the hand-written peer check (a plain string of nano-units)
     */
    public static String peerBalanceKey(long userId) {
        return "peer:{u:" + userId + "}:bal";
    }

    /**
     * @param userId a user
     * @return the RPM counter key of the hand-written peer check
     */
    public static String peerRpmKey(long userId) {
        return "peer:{u:" + userId + "}:rpm";
    }

    /**
     * @return the Redis adapter's billing cache (for raw round trips)
     */
    public BillingCache cache() {
        return adapter.billingCache();
    }

    /**
     * @return the Redis adapter's usage outbox (for raw acknowledgements)
     */
    public UsageOutbox outbox() {
        return adapter.usageOutbox();
    }

    /**
     * @return the server's loopback port
     */
    public int port() {
        return port;
    }

    /**
     * @return the pooled Jedis client
     */
    public RedisClient redis() {
        return redis;
    }

    /** Closes the gate and the client, stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            gate().close();
        } finally {
            try {
                redis.close();
            } finally {
                stopServer();
            }
        }
    }

    private void stopServer() {
        if (server == null) {
            return; // an external server is left running
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded Redis", e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
