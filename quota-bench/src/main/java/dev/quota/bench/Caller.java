package dev.quota.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One benchmark thread's view of the workload: which user sends the next request (uniformly over
 * {@link Workload#USERS}) and a request id unique across threads and iterations. Not thread-safe: JMH gives
 * each thread its own.
 */
@State(Scope.Thread)
public class Caller {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private SplittableRandom random;
    private String prefix;
    private long sequence;

    /** Seeds this thread's user sequence and request id prefix. */
    @Setup
    public void setUp() {
        int thread = THREADS.incrementAndGet();
        random = new SplittableRandom(thread * 7919L);
        prefix = "req-" + System.nanoTime() + "-" + thread + "-";
    }

    /**
     * @return the next user, 1 to {@link Workload#USERS}
     */
    public int nextUser() {
        return 1 + random.nextInt(Workload.USERS);
    }

    /**
     * @return a request id never returned before in this JVM
     */
    public String nextRequestId() {
        return prefix + sequence++;
    }
}
