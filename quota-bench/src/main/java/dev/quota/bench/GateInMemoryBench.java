package dev.quota.bench;

import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code BillingGate.check} and {@code record} on the in-memory testkit with a warm cache: what the library
 * itself costs per request when its backends cost (almost) nothing. Single-threaded and with four threads
 * (throughput is the sum over threads). Requests are prebuilt per user; events are built per call.
 *
 * <p>A fresh environment is started per iteration (outside the measurement) because the testkit keeps every
 * recorded event; see {@link InMemoryEnvironment}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GateInMemoryBench extends BenchDefaults {

    /** The gate under test, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Env {
        InMemoryEnvironment env;
        CheckRequest[] requests;
        CheckRequest[] requestsWithOverrideLookup;

        /** Starts a seeded, warm environment. */
        @Setup(Level.Iteration)
        public void start() {
            env = InMemoryEnvironment.start();
            requests = Workload.requests(true);
            requestsWithOverrideLookup = Workload.requests(false);
        }

        /** Closes the environment. */
        @TearDown(Level.Iteration)
        public void stop() {
            env.close();
        }
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision of a warm check whose request states that there is no group RPM override
     */
    @Benchmark
    public Decision check(Env e, Caller c) {
        return e.env.gate().check(e.requests[c.nextUser() - 1]);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision, four threads at once
     */
    @Benchmark
    @Threads(4)
    public Decision check4Threads(Env e, Caller c) {
        return e.env.gate().check(e.requests[c.nextUser() - 1]);
    }

    /**
     * @param e the environment
     * @param c this thread's caller
     * @return the decision of a request built as in the README (group without a stated override), so the gate
     *         looks the override up in its store on every check
     */
    @Benchmark
    public Decision checkWithOverrideLookup(Env e, Caller c) {
        return e.env.gate().check(e.requestsWithOverrideLookup[c.nextUser() - 1]);
    }

    /**
     * Records one request's usage: the cache's counters and the (in-memory) ledger.
     *
     * @param e the environment
     * @param c this thread's caller
     */
    @Benchmark
    public void record(Env e, Caller c) {
        e.env.gate().record(Workload.event(c.nextRequestId(), c.nextUser()));
    }

    /**
     * Records, four threads at once.
     *
     * @param e the environment
     * @param c this thread's caller
     */
    @Benchmark
    @Threads(4)
    public void record4Threads(Env e, Caller c) {
        e.env.gate().record(Workload.event(c.nextRequestId(), c.nextUser()));
    }
}
