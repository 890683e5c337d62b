package dev.quota.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link GateBench} benchmarks on the in-memory testkit with a warm cache: what the library itself costs per
 * request when its backends cost (almost) nothing.
 *
 * <p>A fresh environment is started per iteration (outside the measurement) because the testkit keeps every
 * recorded event; see {@link InMemoryEnvironment}.
 */
public class GateInMemoryBench extends GateBench {

    /** Starts a seeded, warm environment. */
    @Setup(Level.Iteration)
    public void start() {
        use(InMemoryEnvironment.start());
    }

    /** Closes the environment. */
    @TearDown(Level.Iteration)
    public void stop() {
        env.close();
    }
}
