package dev.quota.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the demo, as an operator's shell would see it (not a terminal).
 *
 * @param code the exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
record DemoRun(int code, String out, String err) {

    /**
     * @param args the command line
     * @return the run
     * @throws Exception when the simulation itself fails
     */
    static DemoRun of(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GatewayDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new DemoRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
