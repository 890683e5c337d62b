package dev.quota.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * A redis-server the test starts on a free loopback port in a temporary directory: killed with SIGKILL,
 * paused with SIGSTOP and resumed with SIGCONT, restarted on the same port (empty, or from its append-only
 * file). Closing it kills the process and deletes the directory; a shutdown hook does the same if the test JVM
 * exits without closing it.
 *
 * <p>The binary is {@code QUOTA_TEST_REDIS_SERVER} when set, else {@code /usr/bin/redis-server}, else
 * {@code redis-server} on the {@code PATH}. Not thread-safe: one test drives it.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** How the server keeps its data. */
    public enum Persistence {
        /** {@code --save "" --appendonly no}: a restart comes back empty. */
        NONE,
        /** {@code --appendonly yes --appendfsync everysec}: a restart reloads the append-only file. */
        AOF_EVERYSEC
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final long READY_TIMEOUT_MS = 20_000;

    private final Persistence persistence;
    private final int port;
    private final Path dir;
    private final Reaper reaper;
    private Process process;
    private boolean paused;
    private int starts;

    private RedisServerProcess(Persistence persistence) {
        this.persistence = persistence;
        this.port = Processes.freePort();
        this.dir = Processes.tempDir("quota-faults-redis");
        this.reaper = new Reaper("quota-faults-redis-reaper-" + port, this::destroy);
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @param persistence how it keeps its data
     * @return the running server
     */
    public static RedisServerProcess start(Persistence persistence) {
        return Processes.startOrClose(new RedisServerProcess(persistence), RedisServerProcess::launch);
    }

    /** @return the loopback port, the same across restarts */
    public int port() {
        return port;
    }

    /** @return the current server process id */
    public long pid() {
        return requireProcess().pid();
    }

    /** @return whether the server process is alive (a paused one is alive) */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the server with SIGKILL and waits until it is gone; what it did not persist is lost. */
    public void kill() {
        Process p = requireProcess();
        p.destroyForcibly(); // SIGKILL on Linux
        waitGone(p);
        paused = false;
        LOG.info("redis-server on port {} killed with SIGKILL", port);
    }

    /** Stops the server with SIGSTOP: connections stay open, nothing answers. */
    public void pause() {
        Processes.signal(pid(), "STOP");
        paused = true;
        LOG.info("redis-server on port {} paused with SIGSTOP", port);
    }

    /** Resumes a paused server with SIGCONT. */
    public void resume() {
        Processes.signal(pid(), "CONT");
        paused = false;
        LOG.info("redis-server on port {} resumed with SIGCONT", port);
    }

    /**
     * Starts the server again on the same port after {@link #kill()}: empty with {@link Persistence#NONE},
     * from its append-only file with {@link Persistence#AOF_EVERYSEC}.
     */
    public void restart() {
        if (alive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        launch();
    }

    /** @return a new client of this server with short timeouts (500 ms); the caller closes it */
    public RedisClient client() {
        return client(500);
    }

    /**
     * @param timeoutMillis connect and socket timeout
     * @return a new client of this server; the caller closes it
     */
    public RedisClient client(int timeoutMillis) {
        return RedisClient.builder().hostAndPort("127.0.0.1", port)
                .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis).build())
                .build();
    }

    @Override
    public void close() {
        reaper.close();
    }

    private synchronized void destroy() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL also ends a stopped process
            waitGone(process);
        }
        Processes.deleteTree(dir);
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(binary(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--dir", dir.toAbsolutePath().toString(), "--save", ""));
        if (persistence == Persistence.AOF_EVERYSEC) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        starts++;
        Path log = dir.resolve("redis-" + starts + ".log");
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        awaitReady(log);
        LOG.info("redis-server pid {} on port {} ({}) ready", process.pid(), port, persistence);
    }

    private void awaitReady(Path log) {
        try (RedisClient c = client(500)) {
            Processes.await("redis-server on port " + port + " to answer", READY_TIMEOUT_MS, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server on port " + port + " exited at start");
                }
                try {
                    // with an AOF, PING answers -LOADING until the file is loaded; wait for a real answer
                    return "PONG".equals(c.ping()) && c.dbSize() >= 0;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ": " + readLog(log), e);
        }
    }

    private Process requireProcess() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process;
    }

    private static void waitGone(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server pid " + p.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String binary() {
        String env = System.getenv("QUOTA_TEST_REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
    }

    @Override
    public String toString() {
        return "redis-server:" + port + (paused ? " (paused)" : "");
    }
}
