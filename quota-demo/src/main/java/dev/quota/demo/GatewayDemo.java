package dev.quota.demo;

import dev.quota.testkit.MutableClock;
import java.io.PrintStream;

/**
 * The demo's entry point: {@code mvn -B -q -Pdemo -DskipTests -pl quota-demo -am package}, or this class with
 * the options of {@link DemoOptions#USAGE}. The report goes to stdout and is the same for the same seed and
 * options; progress and wall-clock time go to stderr. Exits with 0 when the books balance, 1 when they do not,
 * 2 on bad options or unreachable servers (one line, no stack trace).
 */
public final class GatewayDemo {

    /** Exit code when the books balance. */
    public static final int OK = 0;
    /** Exit code when the books do not balance. */
    public static final int BOOKS_DIFFER = 1;
    /** Exit code on bad options or unreachable servers. */
    public static final int BAD_SETUP = 2;

    /** Monday 2026-11-16 00:00 in Shanghai: the run crosses local midnights (and a Monday when days > 6). */
    static final String START = "2026-11-15T16:00:00Z";

    private GatewayDemo() {
    }

    /**
     * Runs the demo and exits with its code when that is not 0.
     *
     * @param args see {@link DemoOptions#USAGE}
     * @throws Exception when the simulation itself fails
     */
    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err, System.console() != null);
        if (code != OK) {
            System.exit(code);
        }
    }

    /**
     * Runs the demo.
     *
     * @param args see {@link DemoOptions#USAGE}
     * @param out where the report goes
     * @param err where progress, timing and errors go
     * @param terminal whether {@code err} is a terminal (progress bar) or not (plain lines)
     * @return the exit code
     * @throws Exception when the simulation itself fails
     */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("quota-demo: " + e.getMessage() + " (see --help)");
            return BAD_SETUP;
        }
        if (options.help()) {
            out.println(DemoOptions.USAGE);
            return OK;
        }
        long started = System.nanoTime();
        DemoEnvironment env;
        try {
            env = DemoEnvironment.start(MutableClock.startingAt(START), options.redisUrl(), options.jdbcUrl());
        } catch (DemoEnvironment.UnreachableException e) {
            err.println("quota-demo: " + e.getMessage());
            return BAD_SETUP;
        }
        DemoReport report;
        try (env) {
            SimulatedGateway gateway = new SimulatedGateway(env, options.days(), options.users(), options.seed(),
                    Progress.to(err, terminal));
            RunResult result = gateway.run();
            report = DemoReport.collect(env, result, options.days());
        }
        report.print(out);
        out.flush();
        err.println("Redis round trips during the run (they vary with timing): " + report.run().runTrips());
        err.println("records stored synchronously during the outage (varies with timing: the cache step fails"
                + " at once or the breaker is already open): " + report.run().outage().synchronousStores());
        err.printf("wall-clock time %d ms%n", (System.nanoTime() - started) / 1_000_000);
        return report.books().balanced() ? OK : BOOKS_DIFFER;
    }
}
