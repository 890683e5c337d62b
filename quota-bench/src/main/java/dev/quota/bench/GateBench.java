package dev.quota.bench;

import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code BillingGate.check} and {@code record} on a warm gate, written once for every environment: JMH runs these
 * inherited {@code @Benchmark} methods once per concrete subclass, which starts its {@link GateEnvironment} in a
 * {@code @Setup} method ({@link #use}) and closes it in a {@code @TearDown}. The benchmark object is the state,
 * shared by all threads. Throughput (operations per second, summed over threads); requests are prebuilt per user,
 * events are built per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class GateBench extends BenchDefaults {

    /** The environment of the running trial or iteration. */
    GateEnvironment env;
    /** One request per user, stating that the group has no RPM override. */
    CheckRequest[] requests;
    /** One request per user, built as in the README: the gate looks the group's RPM override up. */
    CheckRequest[] requestsWithOverrideLookup;

    /**
     * Makes {@code environment} the one under test and prebuilds the requests.
     *
     * @param environment a started, warm environment
     */
    final void use(GateEnvironment environment) {
        env = environment;
        requests = Workload.requests(true);
        requestsWithOverrideLookup = Workload.requests(false);
    }

    /**
     * @param c this thread's caller
     * @return the decision of a warm check whose request states that there is no group RPM override
     */
    @Benchmark
    public Decision check(Caller c) {
        return env.gate().check(requests[c.nextUser() - 1]);
    }

    /**
     * @param c this thread's caller
     * @return the decision, four threads at once
     */
    @Benchmark
    @Threads(4)
    public Decision check4Threads(Caller c) {
        return check(c);
    }

    /**
     * @param c this thread's caller
     * @return the decision of a request built as in the README (group without a stated override), so the gate
     *         looks the override up in its store on every check
     */
    @Benchmark
    public Decision checkWithOverrideLookup(Caller c) {
        return env.gate().check(requestsWithOverrideLookup[c.nextUser() - 1]);
    }

    /**
     * Records one request's usage: the cache's counters and the (in-memory) ledger.
     *
     * @param c this thread's caller
     */
    @Benchmark
    public void record(Caller c) {
        env.gate().record(Workload.event(c.nextRequestId(), c.nextUser()));
    }

    /**
     * Records, four threads at once.
     *
     * @param c this thread's caller
     */
    @Benchmark
    @Threads(4)
    public void record4Threads(Caller c) {
        record(c);
    }
}
