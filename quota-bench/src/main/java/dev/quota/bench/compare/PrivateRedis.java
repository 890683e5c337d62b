package dev.quota.bench.compare;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A private {@code redis-server} of one run, on a free loopback port, without persistence ({@code save ""},
 * {@code appendonly no}) in a temporary directory: the machine's {@value #SYSTEM_BINARY} when it exists (and
 * {@link Binary#EMBEDDED} is not asked for), else the binary that ships in the embedded-redis jar. {@link #close()}
 * stops this server (by its own process handle) and deletes its directory; a JVM shutdown hook does the same
 * when the run dies first. Not thread-safe.
 */
public final class PrivateRedis implements AutoCloseable {

    /** The machine's redis-server, preferred when present. */
    public static final String SYSTEM_BINARY = "/usr/bin/redis-server";

    /** Which redis-server binary to start. */
    public enum Binary {
        /** {@value #SYSTEM_BINARY} when it exists, else {@link #EMBEDDED}. */
        AUTO,
        /** {@value #SYSTEM_BINARY}; fails when it is absent. */
        SYSTEM,
        /** The binary that ships in the embedded-redis jar (6.2). */
        EMBEDDED
    }

    private final RedisServer server;
    private final Path dir;
    private final int port;
    private final String description;
    private final String version;
    private final Thread hook;
    private boolean stopped;

    private PrivateRedis(Binary binary) throws IOException {
        File system = new File(SYSTEM_BINARY);
        boolean useSystem = binary == Binary.SYSTEM || binary == Binary.AUTO && system.canExecute();
        if (binary == Binary.SYSTEM && !system.canExecute()) {
            throw new IllegalStateException(SYSTEM_BINARY + " is not an executable file");
        }
        this.port = freePort();
        this.dir = Files.createTempDirectory("quota-compare-redis");
        RedisServerBuilder builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").setting("dir " + dir.toAbsolutePath());
        if (useSystem) {
            builder.executableProvider(() -> system);
        }
        this.server = builder.build();
        this.hook = new Thread(this::stopQuietly, "private-redis-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                this.version = infoField(jedis.info("server"), "redis_version");
            }
        } catch (IOException | RuntimeException e) {
            stopQuietly();
            throw e;
        }
        this.description = useSystem ? SYSTEM_BINARY : "the redis-server binary of the embedded-redis jar";
    }

    /**
     * Starts a server.
     *
     * @param binary which binary
     * @return the running server
     * @throws UncheckedIOException when it cannot start
     */
    public static PrivateRedis start(Binary binary) {
        try {
            return new PrivateRedis(binary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a private redis-server", e);
        }
    }

    /** @return the loopback port the server listens on */
    public int port() {
        return port;
    }

    /** @return which binary runs ({@value #SYSTEM_BINARY} or the embedded one) */
    public String description() {
        return description;
    }

    /** @return the server's {@code redis_version} */
    public String version() {
        return version;
    }

    /**
     * @param info the text of an {@code INFO} reply
     * @param field a field name
     * @return the field's value, or an empty string when the reply has no such field
     */
    public static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        return "";
    }

    /** Stops the server and deletes its directory. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran anyway
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            server.stop();
        } catch (IOException | RuntimeException ignored) {
            // nothing more can be done for a server that will not stop
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
