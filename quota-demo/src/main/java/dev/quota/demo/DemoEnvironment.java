package dev.quota.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.UsageSink;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;

/**
 * Everything the demo gateway runs on: Redis (an embedded redis-server on a free loopback port, or a given
 * server behind a {@link RedisLink}, under a key prefix of its own), SQL (in-memory H2 behind HikariCP, or a
 * given PostgreSQL or MySQL/MariaDB in a schema of its own), the Redis and SQL adapters, a batching usage writer
 * and the {@link BillingGate} wired to all of them on a simulated clock. {@link #close()} removes what the demo
 * put on given servers.
 */
public final class DemoEnvironment implements AutoCloseable {

    /** The business time zone of the demo. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static final int TIMEOUT_MILLIS = 2000;
    /**
     * The recovery drainer's polling interval when the writer can be held: longer than any run, so it never
     * polls (after the gate's {@code drainIdle} of simulated time it would take the held events for a dead
     * instance's and hand them to the same held writer, at moments set by the wall clock).
     */
    private static final Duration DRAINER_PAUSED = Duration.ofDays(1);

    private final MutableClock clock;
    private final RoundTrips roundTrips = new RoundTrips();
    private Path redisDir;
    private RedisServer redisServer;
    private RedisLink link;
    private CountingRedisClient redis;
    private String keyPrefix = RedisQuotaOptions.DEFAULT_KEY_PREFIX;
    private HikariDataSource dataSource;
    private String schema;
    private Dialect dialect = Dialect.H2;
    private String jdbcUrl;
    private JdbcQuota sql;
    private RedisQuota cache;
    private BatchingUsageWriter writer;
    private HeldLedger heldLedger;
    private BillingGate gate;

    private DemoEnvironment(MutableClock clock) {
        this.clock = clock;
    }

    /**
     * Why the demo cannot start on the servers it was given; its message is one line for the operator.
     */
    public static final class UnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message) {
            super(message);
        }
    }

    /**
     * Starts everything embedded.
     *
     * @param clock the simulated clock
     * @return the running environment
     */
    public static DemoEnvironment start(MutableClock clock) {
        return start(clock, (String) null, (String) null);
    }

    /**
     * Starts everything, on the given servers where a URL is given.
     *
     * @param clock the simulated clock
     * @param redisUrl {@code redis://host:port[/db]}, or {@code null} for an embedded redis-server
     * @param jdbcUrl a PostgreSQL or MySQL/MariaDB JDBC URL, or {@code null} for in-memory H2
     * @return the running environment
     * @throws UnreachableException when a URL is malformed or its server does not answer
     */
    public static DemoEnvironment start(MutableClock clock, String redisUrl, String jdbcUrl) {
        return start(clock, redisUrl, jdbcUrl, false);
    }

    /**
     * Starts everything, on the given servers where a URL is given, optionally with a usage writer that can be
     * held back ({@link #heldLedger()}; the gate's recovery drainer is then paused, see {@link #heldLedger()}).
     *
     * @param clock the simulated clock
     * @param redisUrl {@code redis://host:port[/db]}, or {@code null} for an embedded redis-server
     * @param jdbcUrl a PostgreSQL or MySQL/MariaDB JDBC URL, or {@code null} for in-memory H2
     * @param holdableWriter whether the writer stores into a {@link HeldLedger}
     * @return the running environment
     * @throws UnreachableException when a URL is malformed or its server does not answer
     */
    public static DemoEnvironment start(MutableClock clock, String redisUrl, String jdbcUrl, boolean holdableWriter) {
        return start(clock, redisUrl, jdbcUrl, holdableWriter, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Starts everything embedded with a differently configured usage writer, or with the gate seeing the writer
     * through a wrapper (the gate closes the sink it was given).
     */
    static DemoEnvironment start(MutableClock clock, UnaryOperator<BatchingUsageWriter.Builder> writerSettings,
                                 UnaryOperator<UsageSink> gateSink) {
        return start(clock, null, null, false, writerSettings, gateSink);
    }

    private static DemoEnvironment start(MutableClock clock, String redisUrl, String jdbcUrl, boolean holdableWriter,
                                         UnaryOperator<BatchingUsageWriter.Builder> writerSettings,
                                         UnaryOperator<UsageSink> gateSink) {
        DemoEnvironment env = new DemoEnvironment(clock);
        try {
            env.startRedis(redisUrl);
            env.startSql(jdbcUrl);
            env.wire(holdableWriter, writerSettings, gateSink);
            return env;
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    private void startRedis(String url) {
        HostAndPort server;
        JedisClientConfig config;
        if (url == null) {
            try {
                int port = freePort();
                redisDir = Files.createTempDirectory("quota-demo-redis");
                redisServer = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                        .setting("appendonly no").setting("dir " + redisDir.toAbsolutePath()).build();
                redisServer.start();
                server = new HostAndPort("127.0.0.1", port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded Redis", e);
            }
            config = DefaultJedisClientConfig.builder().timeoutMillis(TIMEOUT_MILLIS).build();
        } else {
            URI uri = redisUri(url);
            DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder().timeoutMillis(TIMEOUT_MILLIS);
            String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
            if (!path.isEmpty()) {
                try {
                    b.database(Integer.parseInt(path));
                } catch (NumberFormatException e) {
                    throw new UnreachableException("bad Redis URL " + url + ": the database must be a number");
                }
            }
            if (uri.getUserInfo() != null) {
                String[] user = uri.getUserInfo().split(":", 2);
                if (user.length == 2) {
                    b.user(user[0].isEmpty() ? null : user[0]).password(user[1]);
                } else {
                    b.password(user[0]);
                }
            }
            config = b.build();
            InetSocketAddress target = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(target, TIMEOUT_MILLIS);
            } catch (IOException e) {
                throw new UnreachableException("cannot reach Redis at " + url + ": " + firstLine(e));
            }
            link = new RedisLink(target);
            server = new HostAndPort("127.0.0.1", link.port());
            keyPrefix = "quota-demo-" + UUID.randomUUID().toString().substring(0, 8);
        }
        redis = CountingRedisClient.create(server, config, roundTrips);
        try {
            redis.ping();
        } catch (RuntimeException e) {
            throw new UnreachableException("cannot reach Redis at " + (url == null ? "the embedded server" : url)
                    + ": " + firstLine(e));
        }
    }

    private static URI redisUri(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException("bad Redis URL " + url + ": " + firstLine(e));
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UnreachableException("bad Redis URL " + url + ": expected redis://host:port[/db]");
        }
        return uri;
    }

    private void startSql(String url) {
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5000);
        if (url == null) {
            jdbcUrl = "jdbc:h2:mem:quota-demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            config.setJdbcUrl(jdbcUrl);
            config.setUsername("sa");
            config.setPassword("");
        } else {
            jdbcUrl = url;
            schema = "quota_demo_" + UUID.randomUUID().toString().substring(0, 8);
            DriverManager.setLoginTimeout(5);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                dialect = Dialect.detect(c);
                s.execute(dialect == Dialect.MYSQL ? "CREATE DATABASE " + schema : "CREATE SCHEMA " + schema);
            } catch (SQLException | RuntimeException e) {
                schema = null;
                throw new UnreachableException("cannot use the database at " + url + ": " + firstLine(e));
            }
            config.setJdbcUrl(url);
            if (dialect == Dialect.MYSQL) {
                config.setCatalog(schema);
            } else {
                config.setSchema(schema);
            }
        }
        dataSource = new HikariDataSource(config);
        sql = JdbcQuota.builder(dataSource).dialect(dialect).zone(ZONE).clock(clock).build();
        sql.installSchema();
    }

    private void wire(boolean holdableWriter, UnaryOperator<BatchingUsageWriter.Builder> writerSettings,
                      UnaryOperator<UsageSink> gateSink) {
        // Simulated days pass in wall-clock seconds, while dirty markers expire by Redis's own clock. The dirty
        // TTL must exceed the writer's lag; the simulation flushes the writer after every tick, so the lag is
        // at most one tick's work, and one second keeps a slow or busy machine inside the bound without
        // reading most of the run from SQL.
        cache = RedisQuota.create(redis, RedisQuotaOptions.builder().keyPrefix(keyPrefix)
                .dirtyTtl(Duration.ofSeconds(1)).build());
        BatchingUsageWriter.Builder writerBuilder = sql.usageWriter();
        if (holdableWriter) {
            heldLedger = new HeldLedger(sql.ledger(), clock);
            writerBuilder = BatchingUsageWriter.builder(heldLedger, sql.time());
        }
        writer = writerSettings.apply(writerBuilder.batchSize(200).linger(Duration.ofMillis(20))).build();
        BillingGate.Builder builder = BillingGate.builder();
        if (holdableWriter) {
            builder.drainInterval(DRAINER_PAUSED);
        }
        gate = builder
                .cache(cache.billingCache()).rpmCounter(cache.rpmCounter()).outbox(cache.usageOutbox())
                .balances(sql.balances()).subscriptions(sql.subscriptions())
                .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
                .rpmOverrides(sql.rpmOverrides()).usageSink(gateSink.apply(writer))
                .platforms("anthropic", "openai")
                .clock(clock).zone(ZONE)
                .build();
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof java.net.UnknownHostException) {
            m = "unknown host " + m;
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** @return the simulated clock */
    public MutableClock clock() {
        return clock;
    }

    /** @return the gate */
    public BillingGate gate() {
        return gate;
    }

    /** @return the SQL adapter */
    public JdbcQuota sql() {
        return sql;
    }

    /** @return the Redis adapter */
    public RedisQuota cache() {
        return cache;
    }

    /** @return the Redis client (every command it sends is counted in {@link #roundTrips()}) */
    public redis.clients.jedis.UnifiedJedis redis() {
        return redis;
    }

    /** @return the round trips of the Redis client */
    public RoundTrips roundTrips() {
        return roundTrips;
    }

    /** @return the usage writer */
    public BatchingUsageWriter writer() {
        return writer;
    }

    /**
     * The ledger the usage writer stores into, which can hold it back. The gate's recovery drainer is paused in
     * such an environment: it exists for instances that died, and while the writer is held it would take this
     * live instance's events for theirs.
     *
     * @return the ledger
     * @throws IllegalStateException when the environment was started without a holdable writer
     */
    public HeldLedger heldLedger() {
        if (heldLedger == null) {
            throw new IllegalStateException("started without a holdable writer");
        }
        return heldLedger;
    }

    /** @return whether Redis is an embedded redis-server (else a given one behind a relay) */
    public boolean embeddedRedis() {
        return redisServer != null;
    }

    /** @return whether SQL is in-memory H2 (else a given database) */
    public boolean embeddedSql() {
        return schema == null;
    }

    /** @return a one-line description of the servers, without anything that changes between runs */
    public String describe() {
        return (embeddedRedis() ? "embedded redis-server" : "the given Redis (through a loopback relay)") + " + "
                + (embeddedSql() ? "in-memory H2" : dialect.name() + " " + jdbcUrl.replaceAll("\\?.*", ""));
    }

    /**
     * @param userId a user
     * @return the balance Redis holds for the user, or {@code null} when it holds none
     */
    public Money cachedBalance(long userId) {
        return cache.billingCache().check(new CacheCheck(CheckRequest.builder(userId).build(), RpmPlan.NONE,
                clock.instant(), ZONE)).balance();
    }

    /**
     * Drops every dirty marker of this demo's keys, so that refills are accepted at once instead of after the
     * markers lapse by Redis's own clock (simulated time does not move them).
     */
    public void dropDirtyMarkers() {
        for (String marker : keys(keyPrefix + ":*:dirty")) {
            redis.del(marker);
        }
    }

    private List<String> keys(String pattern) {
        List<String> out = new java.util.ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /**
     * Stops Redis, as an outage would: the embedded redis-server is killed (its data is lost), a given server is
     * cut off by its relay (it keeps its data). {@link #close()} still works afterwards.
     *
     * @throws UncheckedIOException when the embedded server cannot be stopped
     */
    public void stopRedis() {
        if (link != null) {
            link.cut();
            return;
        }
        try {
            redisServer.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded Redis", e);
        }
    }

    /**
     * Brings Redis back after {@link #stopRedis()}: the embedded redis-server restarts empty on the same port,
     * a given server is reachable again; idle pooled connections to the old one are dropped.
     *
     * @throws UncheckedIOException when the embedded server cannot be started
     */
    public void restartRedis() {
        if (link != null) {
            link.restore();
        } else {
            try {
                redisServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restart the embedded Redis", e);
            }
        }
        redis.dropIdleConnections();
    }

    @Override
    public void close() {
        try {
            if (gate != null) {
                gate.close();
            }
            if (link != null && gate != null) {
                if (link.isCut()) {
                    link.restore();
                    redis.dropIdleConnections();
                }
                for (String key : keys(keyPrefix + ":*")) {
                    redis.del(key);
                }
            }
        } finally {
            closeQuietly(redis);
            closeQuietly(link);
            stopEmbeddedRedis();
            closeQuietly(sql);
            dropSchema();
            closeQuietly(dataSource);
        }
    }

    private void stopEmbeddedRedis() {
        if (redisServer == null) {
            return;
        }
        try {
            redisServer.stop();
        } catch (IOException ignored) {
            // already stopped
        }
        try (var files = Files.walk(redisDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private void dropSchema() {
        if (schema == null || dataSource == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(dialect == Dialect.MYSQL ? "DROP DATABASE " + schema : "DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the demo's schema " + schema, e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
