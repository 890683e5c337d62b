package dev.quota.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL cluster the test creates with {@code initdb} in a temporary directory and runs with
 * {@code pg_ctl} on a free loopback port, as the {@code postgres} OS user when the tests run as root
 * (PostgreSQL refuses to run as root): stopped in immediate mode (no shutdown checkpoint, crash recovery at
 * the next start), restarted on the same port, and on {@link #close()} (or a shutdown hook) stopped and
 * deleted.
 *
 * <p>The binaries are {@code QUOTA_TEST_PG_BIN} when set, else the newest {@code /usr/lib/postgresql/<v>/bin}.
 * The cluster runs with {@code fsync=off}: an immediate stop kills the server processes, not the machine, so
 * the WAL in the OS page cache survives it exactly as on disk. Not thread-safe: one test drives it.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final String DATABASE = "quota";

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final Reaper reaper;
    private boolean running;

    private PostgresCluster() {
        this.bin = binaries();
        this.dir = Processes.tempDir("quota-faults-pg");
        this.data = dir.resolve("data");
        this.port = Processes.freePort();
        this.reaper = new Reaper("quota-faults-pg-reaper-" + port, this::destroy);
    }

    /**
     * Creates, starts and creates the database {@code quota}.
     *
     * @return the running cluster
     */
    public static PostgresCluster start() {
        return Processes.startOrClose(new PostgresCluster(), pg -> {
            pg.init();
            pg.startServer();
            pg.createDatabase();
        });
    }

    /** @return the JDBC URL of the database {@code quota}, user {@code postgres}, trust authentication */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=postgres&connectTimeout=2&socketTimeout=10";
    }

    /** @return the port, the same across restarts */
    public int port() {
        return port;
    }

    /** Stops the server in immediate mode: every server process quits at once, without a checkpoint. */
    public void stopImmediate() {
        pgCtl("stop", "-m", "immediate", "-w");
        running = false;
        LOG.info("PostgreSQL on port {} stopped in immediate mode", port);
    }

    /** Starts the server again on the same port (crash recovery replays the WAL). */
    public void restart() {
        if (running) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is still running");
        }
        startServer();
    }

    /**
     * @param sql a statement to run in the database {@code quota}
     */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    @Override
    public void close() {
        reaper.close();
    }

    private synchronized void destroy() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                pgCtl("stop", "-m", "immediate", "-w");
            } catch (RuntimeException e) {
                LOG.warn("cannot stop PostgreSQL on port {}: {}", port, e.getMessage());
            }
        }
        running = false;
        Processes.deleteTree(dir);
    }

    private void init() {
        if (asRoot()) {
            Processes.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), 30);
        }
        Processes.run(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), 120);
    }

    private void startServer() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                + " -c fsync=off -c max_connections=60 -c shared_buffers=32MB";
        pgCtl("start", "-w", "-t", "60", "-o", options, "-l", dir.resolve("server.log").toString());
        running = true;
        LOG.info("PostgreSQL on port {} ready", port);
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database on port " + port, e);
        }
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
        cmd.addAll(List.of(args));
        Processes.run(asPostgres(cmd.toArray(String[]::new)), 90);
    }

    private static List<String> asPostgres(String... cmd) {
        List<String> out = new ArrayList<>();
        if (asRoot()) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(cmd));
        return out;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binaries() {
        String env = System.getenv("QUOTA_TEST_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under " + root + "; set QUOTA_TEST_PG_BIN"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL under " + root + "; set QUOTA_TEST_PG_BIN", e);
        }
    }

    @Override
    public String toString() {
        return "postgresql:" + port + (running ? "" : " (stopped)");
    }

}
