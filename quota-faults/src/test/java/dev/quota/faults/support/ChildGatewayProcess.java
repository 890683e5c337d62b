package dev.quota.faults.support;

import dev.quota.core.usage.UsageKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's handle on a {@link ChildGateway} JVM: started with this JVM's class path, its acknowledged
 * records collected from its standard output as they are printed, killed with SIGKILL. Closing it kills the
 * child if it still runs; a shutdown hook does the same if the test JVM exits first.
 */
public final class ChildGatewayProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildGatewayProcess.class);

    private final Process process;
    private final Path log;
    private final Thread reader;
    private final Reaper reaper;
    private final Map<UsageKey, Long> acked = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile boolean done;

    private ChildGatewayProcess(List<String> args) throws IOException {
        this.log = Files.createTempFile("quota-faults-child", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                ChildGateway.class.getName()));
        cmd.addAll(args);
        this.process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        this.reaper = new Reaper("quota-faults-child-reaper", this::destroy);
        this.reader = new Thread(this::read, "quota-faults-child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child gateway and waits until it is ready to record.
     *
     * @param redisPort the Redis port
     * @param jdbcUrl the database
     * @param tablePrefix the SQL table prefix
     * @param keyPrefix the Redis key prefix
     * @param runId the request-id prefix
     * @param users the users, comma-separated
     * @param threads recording threads
     * @param perThread the most records per thread
     * @param lingerMillis the usage writer's linger
     * @return the running child
     */
    public static ChildGatewayProcess start(int redisPort, String jdbcUrl, String tablePrefix, String keyPrefix,
                                            String runId, String users, int threads, int perThread, long lingerMillis) {
        try {
            ChildGatewayProcess child = new ChildGatewayProcess(List.of(Integer.toString(redisPort), jdbcUrl,
                    tablePrefix, keyPrefix, runId, users, Integer.toString(threads), Integer.toString(perThread),
                    Long.toString(lingerMillis)));
            try {
                Processes.await("the child gateway to be ready", 60_000, () -> child.ready || !child.process.isAlive());
                if (!child.ready) {
                    throw new IllegalStateException("the child gateway exited at start: " + child.log());
                }
                LOG.info("child gateway pid {} ready", child.pid());
                return child;
            } catch (RuntimeException e) {
                child.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child gateway", e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = true;
                } else if (line.equals("DONE")) {
                    done = true;
                } else if (line.startsWith("ACK ")) {
                    String[] f = line.split(" ");
                    // a line cut by SIGKILL has fewer fields: its record was acknowledged but the parent
                    // cannot know it; the assertions treat it as attempted (it is in the child's run id range)
                    if (f.length == 4) {
                        acked.put(new UsageKey(Long.parseLong(f[1]), f[2]), Long.parseLong(f[3]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("child output ended: {}", e.toString());
        }
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return the records the child acknowledged so far, by key, cost in nanos */
    public Map<UsageKey, Long> acked() {
        return Map.copyOf(acked);
    }

    /** @return whether the child finished its load before it was killed */
    public boolean done() {
        return done;
    }

    /**
     * Waits until the child acknowledged at least {@code n} records.
     *
     * @param n how many
     * @param timeoutMillis the bound
     */
    public void awaitAcked(int n, long timeoutMillis) {
        Processes.await(n + " acknowledged records of the child", timeoutMillis,
                () -> acked.size() >= n || !process.isAlive());
        if (acked.size() < n) {
            throw new IllegalStateException("the child gateway died with " + acked.size() + " acks: " + log());
        }
    }

    /**
     * Kills the child with SIGKILL and waits until it and its output are gone; what it printed before is in
     * {@link #acked()}.
     */
    public void kill() {
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child gateway survived SIGKILL");
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("child gateway pid {} killed with SIGKILL after {} acknowledged records", process.pid(), acked.size());
    }

    /** @return the child's standard error */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        reaper.close();
    }

    private void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // best effort
        }
    }

}
