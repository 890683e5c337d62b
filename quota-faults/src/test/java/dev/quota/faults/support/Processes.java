package dev.quota.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Small process utilities of the fault suite: free loopback ports, signals to processes the tests started,
 * commands run to completion within a bound, and temporary directories removed afterwards.
 */
public final class Processes {

    private Processes() {
    }

    /** @return a loopback port that was free a moment ago */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * Sends a signal with {@code kill -<signal> <pid>}.
     *
     * @param pid a process this suite started
     * @param signal the signal name without {@code SIG}, e.g. {@code STOP}, {@code CONT}, {@code KILL}
     */
    public static void signal(long pid, String signal) {
        run(List.of("kill", "-" + signal, Long.toString(pid)), 10);
    }

    /**
     * Runs a command to completion.
     *
     * @param command the command and its arguments
     * @param timeoutSeconds the longest it may take
     * @return its output (stdout and stderr)
     * @throws IllegalStateException when it fails, or is killed for overrunning the bound
     */
    public static String run(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // the output is small; read it after the process ended (it cannot fill a pipe buffer)
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("command overran " + timeoutSeconds + " s: " + command);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("command failed (exit " + p.exitValue() + "): " + command + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /**
     * Waits until a condition holds, polling every 20 ms; a bounded wait for a process or a background worker
     * to reach a state, never an assertion about speed.
     *
     * @param what what is awaited, for the error message
     * @param timeoutMillis the bound
     * @param condition the condition
     * @throws IllegalStateException when the bound passes first
     */
    public static void await(String what, long timeoutMillis, BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(Duration.ofMillis(timeoutMillis)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("gave up waiting " + timeoutMillis + " ms for " + what, e);
        }
    }

    /**
     * @param prefix the directory name prefix
     * @return a new temporary directory
     */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * Deletes a directory tree, best effort (a temporary directory left behind is harmless).
     *
     * @param dir the directory, may be null
     */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Starts a freshly made process handle; when starting fails, closes it (stopping whatever did start and
     * removing its files) and rethrows.
     *
     * @param handle the handle, not started yet
     * @param start what starts it
     * @param <T> the handle's type
     * @return the started handle
     */
    public static <T extends AutoCloseable> T startOrClose(T handle, Consumer<T> start) {
        try {
            start.accept(handle);
            return handle;
        } catch (RuntimeException e) {
            try {
                handle.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
