package dev.quota.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Shows how far the simulation is: a bar redrawn in place on a terminal ({@code System.console() != null}),
 * one plain line per simulated day otherwise. It writes to its own stream (the demo's stderr), so the report
 * itself stays the same from run to run.
 */
public final class Progress {

    /** Shows nothing. */
    public static final Progress NONE = new Progress(null, false);

    private static final int WIDTH = 40;
    private static final long TICKS_PER_DAY = java.time.Duration.ofDays(1).dividedBy(SimulatedGateway.TICK);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(DemoEnvironment.ZONE);

    private final PrintStream out;
    private final boolean terminal;

    private Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * @param out where to write
     * @param terminal whether {@code out} is a terminal (draw a bar) or not (plain lines)
     * @return a progress display
     */
    public static Progress to(PrintStream out, boolean terminal) {
        return new Progress(out, terminal);
    }

    /**
     * Reports that a tick is done.
     *
     * @param done ticks done
     * @param total ticks in all
     * @param now the simulated time
     */
    public void step(long done, long total, Instant now) {
        if (out == null) {
            return;
        }
        if (terminal) {
            int filled = (int) (WIDTH * done / total);
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + (100 * done / total)
                    + "%  simulated " + DAY.format(now));
            out.flush();
        } else if (done % TICKS_PER_DAY == 0) {
            out.println("simulated day " + DAY.format(now.minusSeconds(1)) + " done (" + (100 * done / total) + "%)");
        }
    }

    /** Ends the display. */
    public void done() {
        if (out != null && terminal) {
            out.println();
        }
    }
}
