package dev.quota.bench.compare;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * The ceiling of the comparison: {@code redis-benchmark} (from the PATH) with N connections running one
 * {@code EVALSHA} of a trivial script with four keys ({@value #SCRIPT}) against the private server: what one
 * script call per operation can reach on this machine, with a client written in C.
 */
public final class Ceiling {

    /** The trivial script: four keys declared, nothing read or written. */
    public static final String SCRIPT = "return #KEYS";

    /**
     * What one run of redis-benchmark gave.
     *
     * @param requestsPerSecond its requests per second
     * @param p50Millis its median latency, ms
     * @param p99Millis its 99th percentile latency, ms
     * @param serverCpuMicrosPerCall redis-server CPU (INFO cpu) per call, µs
     * @param usecPerCall INFO commandstats usec_per_call of evalsha over the run, µs
     * @param loadAverage the one-minute load average at the end
     * @param command the command line
     */
    public record Result(double requestsPerSecond, double p50Millis, double p99Millis, double serverCpuMicrosPerCall,
                         double usecPerCall, double loadAverage, String command) {
    }

    private Ceiling() {
    }

    /** @return the redis-benchmark executable on the PATH, if any */
    public static Optional<String> executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "redis-benchmark");
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * Runs redis-benchmark once (bounded: killed after two minutes).
     *
     * @param executable the redis-benchmark binary
     * @param port the private server's port
     * @param clients the number of connections (the comparison's client threads)
     * @param requests the number of requests
     * @return the figures
     * @throws IllegalStateException when it fails or its output cannot be read
     */
    public static Result run(String executable, int port, int clients, int requests) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            String sha = jedis.scriptLoad(SCRIPT);
            List<String> command = new ArrayList<>(List.of(executable, "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-c", Integer.toString(clients), "-n", Integer.toString(requests), "--csv",
                    "EVALSHA", sha, "4", "{c}:k1", "{c}:k2", "{c}:k3", "{c}:k4"));
            Path out = Files.createTempFile("redis-benchmark", ".csv");
            try {
                ServerStats before = ServerStats.read(jedis);
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-benchmark did not finish within 2 minutes");
                }
                ServerStats delta = ServerStats.read(jedis).minus(before);
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("redis-benchmark failed (" + p.exitValue() + "): " + text);
                }
                long calls = delta.calls().getOrDefault("evalsha", 0L);
                return parse(text, (double) delta.cpuMicros() / Math.max(1, calls), delta.usecPerCall("evalsha"),
                        load, String.join(" ", command.subList(1, command.size())).replace(sha, "<sha>"));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-benchmark", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads redis-benchmark's {@code --csv} output: a header line naming the columns ({@code "test","rps",
     * ..."p50_latency_ms",..."p99_latency_ms"}) and one line of figures.
     *
     * @param csv the output
     * @param cpuPerCall redis-server CPU per call, µs
     * @param usecPerCall commandstats usec_per_call of evalsha, µs
     * @param load the load average
     * @param command the command line shown in the report
     * @return the figures
     * @throws IllegalStateException when the output has no figures
     */
    public static Result parse(String csv, double cpuPerCall, double usecPerCall, double load, String command) {
        String[] header = null;
        for (String line : csv.split("\r?\n")) {
            String[] cells = line.split("\",\"");
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].replace("\"", "").strip();
            }
            if (cells.length > 1 && cells[0].equals("test")) {
                header = cells;
            } else if (header != null && cells.length == header.length) {
                return new Result(column(header, cells, "rps"), column(header, cells, "p50_latency_ms"),
                        column(header, cells, "p99_latency_ms"), cpuPerCall, usecPerCall, load, command);
            } else if (header == null && cells.length == 2) {
                // redis-benchmark before 6.2: "test","rps" only, no header
                return new Result(Double.parseDouble(cells[1]), Double.NaN, Double.NaN, cpuPerCall, usecPerCall,
                        load, command);
            }
        }
        throw new IllegalStateException("cannot read redis-benchmark's output: " + csv);
    }

    private static double column(String[] header, String[] cells, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return Double.parseDouble(cells[i]);
            }
        }
        return Double.NaN;
    }
}
