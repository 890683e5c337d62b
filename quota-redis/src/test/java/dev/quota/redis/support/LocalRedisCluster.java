package dev.quota.redis.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.core.ExecutableProvider;

/**
 * A three-master Redis Cluster on free loopback ports in a temporary directory, started and killed by the
 * tests. The slots are split in three ({@code CLUSTER ADDSLOTS}) and the nodes introduced with
 * {@code CLUSTER MEET}; the cluster is used once every node reports {@code cluster_state:ok}.
 *
 * <p>The redis-server binary is, in order: {@code QUOTA_TEST_REDIS_SERVER} (a path), {@code redis-server}
 * on the {@code PATH}, else the binary shipped in the embedded-redis jar, so the suite also runs on a
 * machine without Redis installed.
 */
public final class LocalRedisCluster extends RedisTarget {

    
    /** Environment variable: path of the redis-server binary to use. */
    public static final String SERVER_ENV = "QUOTA_TEST_REDIS_SERVER";

    private static final Logger LOG = LoggerFactory.getLogger(LocalRedisCluster.class);
    private static final int SLOTS = 16384;
    private static final long READY_TIMEOUT_MS = 30_000;

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Thread reaper;
    private RedisClusterClient client;
    private String version = "?";

    private LocalRedisCluster(int nodes) throws IOException {
        this.dir = Files.createTempDirectory("quota-redis-cluster");
        this.reaper = new Thread(this::kill, "quota-redis-cluster-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean started = false;
        try {
            String binary = binary();
            for (int i = 0; i < nodes; i++) {
                startNode(binary);
            }
            form();
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            for (int port : ports) {
                seeds.add(new HostAndPort("127.0.0.1", port));
            }
            // the same timeouts as the single-server targets: with Jedis' 2 s default, a script call delayed by a
            // loaded machine timed out and was retried, and the retry found its own idempotency marker
            this.client = RedisClusterClient.builder().nodes(seeds).clientConfig(DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(2000).socketTimeoutMillis(5000).build()).build();
            started = true;
        } finally {
            if (!started) {
                close();
            }
        }
    }

    /**
     * Starts a cluster of three masters and waits until it serves every slot.
     *
     * @return the running cluster with a {@link RedisClusterClient}
     */
    public static LocalRedisCluster start() {
        try {
            return new LocalRedisCluster(3);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a local Redis Cluster", e);
        }
    }

    @Override
    public String name() {
        return "cluster:" + ports + " (redis " + version + ")";
    }

    @Override
    public UnifiedJedis client() {
        return client;
    }

    /** @return the node ports, in slot order */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /**
     * @param slot a cluster slot
     * @return the port of the node serving it
     */
    public int portForSlot(int slot) {
        for (int i = 0; i < ports.size(); i++) {
            if (slot < (i + 1) * SLOTS / ports.size()) {
                return ports.get(i);
            }
        }
        throw new IllegalArgumentException("no such slot: " + slot);
    }

    /** How many ports a node tries: a probed free port can be taken before redis-server binds it. */
    private static final int START_ATTEMPTS = 5;

    private void startNode(String binary) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = Ports.freeWithClusterBus();
            File log = dir.resolve("redis-" + port + ".log").toFile();
            ProcessBuilder pb = new ProcessBuilder(binary,
                    "--port", Integer.toString(port),
                    "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "5000",
                    "--save", "",
                    "--appendonly", "no",
                    "--dir", dir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log);
            Process process = pb.start();
            if (answers(process, port)) {
                processes.add(process);
                ports.add(port);
                return;
            }
            process.destroyForcibly();
            // The port or its cluster bus port (port + 10000, often in the ephemeral range) was taken between
            // the probe and the bind, e.g. by an outgoing connection: try another one.
            String why = Files.exists(log.toPath()) ? Files.readString(log.toPath(), StandardCharsets.UTF_8) : "";
            if (attempt == START_ATTEMPTS) {
                throw new IllegalStateException("cluster node did not start on " + attempt + " ports; last log:\n" + why);
            }
            LOG.warn("cluster node on port {} did not start, trying another port: {}", port, why.strip());
        }
    }

    /** @return true once the node answers PING; false when its process ended or it stays silent for 10 s */
    private static boolean answers(Process process, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (RedisClient node = RedisClient.create("127.0.0.1", port)) {
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if ("PONG".equals(node.ping())) {
                        return true;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                pause();
            }
        }
        return false;
    }

    private void form() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        List<RedisClient> nodes = new ArrayList<>();
        try {
            for (int port : ports) {
                RedisClient node = RedisClient.create("127.0.0.1", port);
                nodes.add(node);
                awaitPing(node, port, deadline);
            }
            version = info(nodes.get(0), "server", "redis_version");
            for (int i = 0; i < nodes.size(); i++) {
                int from = i * SLOTS / nodes.size();
                int to = (i + 1) * SLOTS / nodes.size();
                List<String> args = new ArrayList<>();
                args.add("ADDSLOTS");
                for (int slot = from; slot < to; slot++) {
                    args.add(Integer.toString(slot));
                }
                nodes.get(i).sendCommand(Protocol.Command.CLUSTER, args.toArray(String[]::new));
            }
            for (int i = 1; i < nodes.size(); i++) {
                nodes.get(0).sendCommand(Protocol.Command.CLUSTER, "MEET", "127.0.0.1", Integer.toString(ports.get(i)));
            }
            for (int i = 0; i < nodes.size(); i++) {
                awaitClusterOk(nodes.get(i), ports.get(i), nodes.size(), deadline);
            }
            LOG.info("Redis Cluster {} ready on ports {}", version, ports);
        } finally {
            nodes.forEach(RedisClient::close);
        }
    }

    private static void awaitPing(RedisClient node, int port, long deadline) {
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if ("PONG".equals(node.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            pause();
        }
        throw new IllegalStateException("cluster node " + port + " did not start", last);
    }

    private static void awaitClusterOk(RedisClient node, int port, int size, long deadline) {
        String info = "";
        while (System.nanoTime() < deadline) {
            Object reply = node.sendCommand(Protocol.Command.CLUSTER, "INFO");
            info = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
            if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + size)
                    && info.contains("cluster_slots_ok:" + SLOTS)) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("cluster node " + port + " not ready: " + info);
    }

    private static String info(RedisClient node, String section, String field) {
        for (String line : node.info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    /** Waits briefly between polls of a starting server (the only waiting the tests do). */
    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    private static String binary() throws IOException {
        String env = System.getenv(SERVER_ENV);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.isFile() && f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
    }

    private void kill() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            TempDirs.delete(dir);
        }
    }
}
