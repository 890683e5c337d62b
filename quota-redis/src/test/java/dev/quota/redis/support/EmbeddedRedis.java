package dev.quota.redis.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.RedisServer;

/**
 * The embedded redis-server (from the embedded-redis jar) on a free loopback port, without persistence.
 * It can be stopped and started again on the same port to simulate a restart.
 */
public final class EmbeddedRedis extends RedisTarget {

    private final int port;
    private final Path dir;
    private final RedisServer server;
    private final RedisClient client;

    private EmbeddedRedis() throws IOException {
        this.port = Ports.free();
        this.dir = Files.createTempDirectory("quota-embedded-redis");
        this.server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + dir.toAbsolutePath())
                .build();
        server.start();
        this.client = RedisClient.builder()
                .hostAndPort(new HostAndPort("127.0.0.1", port))
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build())
                .build();
    }

    /**
     * Starts a server on a free port.
     *
     * @return the running server with a client
     */
    public static EmbeddedRedis start() {
        try {
            return new EmbeddedRedis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis", e);
        }
    }

    @Override
    public String name() {
        return "embedded:" + port;
    }

    @Override
    public UnifiedJedis client() {
        return client;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** Stops the server process; the client stays open and its calls fail until {@link #restart()}. */
    public void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port (empty: nothing is persisted). */
    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return true while the server process runs */
    public boolean isActive() {
        return server.isActive();
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            if (server.isActive()) {
                server.stop();
            }
            TempDirs.delete(dir);
        }
    }
}
