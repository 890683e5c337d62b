package dev.quota.faults.support;

import dev.quota.core.UsageEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The main class of a gateway JVM that a test starts as a child process (with the test's class path) and kills
 * with SIGKILL while it records under load. It wires a {@link Gateway} on the given Redis port and JDBC URL
 * and runs a bounded {@link Load}; its protocol is its standard output, one line each, flushed:
 * {@code READY}, then {@code ACK <userId> <requestId> <costNanos>} after each {@code record()} returned, then
 * {@code DONE} if it is not killed first (it then exits by itself).
 *
 * <p>Arguments: {@code redisPort jdbcUrl tablePrefix keyPrefix runId users(comma-separated) threads perThread
 * lingerMillis}.
 */
public final class ChildGateway {

    private ChildGateway() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on any failure (the parent sees the exit code and the log)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            throw new IllegalArgumentException("usage: redisPort jdbcUrl tablePrefix keyPrefix runId users threads perThread lingerMillis: "
                    + Arrays.toString(args));
        }
        int redisPort = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        String tablePrefix = args[2];
        String keyPrefix = args[3];
        String runId = args[4];
        long[] users = Arrays.stream(args[5].split(",")).mapToLong(Long::parseLong).toArray();
        int threads = Integer.parseInt(args[6]);
        int perThread = Integer.parseInt(args[7]);
        Duration linger = Duration.ofMillis(Long.parseLong(args[8]));
        // the protocol channel: this process's own stdout, not logging
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (Gateway gw = Gateway.settings(redisPort, jdbcUrl).tablePrefix(tablePrefix).keyPrefix(keyPrefix)
                .recoveryDrainer(false) // the library's defaults: it dies long before its drainer would run
                .writer(w -> w.linger(linger).batchSize(10_000).capacity(100_000)).start()) {
            out.println("READY");
            Load load = Load.start(gw.gate(), runId, users, threads, perThread, e -> ack(out, e));
            load.join();
        }
        out.println("DONE");
    }

    private static void ack(PrintStream out, UsageEvent e) {
        synchronized (out) {
            out.println("ACK " + e.userId() + " " + e.requestId() + " " + e.costs().total().nanos());
        }
    }
}
