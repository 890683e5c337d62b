package dev.quota.testkit;

import dev.quota.core.BackendUnavailableException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection and call counting shared by the in-memory ports. Every operation of an in-memory port
 * calls {@link #beforeCall(String)} after validating its arguments and before touching any state, so an
 * injected failure never changes anything. One {@code Faults} may be shared by several fakes (for example
 * the cache and the RPM counter, to simulate "Redis is down").
 *
 * <ul>
 *   <li>{@link #failNext(int)}: the next {@code n} calls throw {@link BackendUnavailableException};</li>
 *   <li>{@link #failAlways()}: every call throws until {@link #heal()};</li>
 *   <li>{@link #hang()}: every call blocks until {@link #release()} or {@link #heal()} (or until the calling
 *       thread is interrupted, which throws {@link BackendUnavailableException} and keeps the interrupt
 *       flag), so timeouts can be tested without sleeping; {@link #awaitHungCalls} waits until callers are
 *       blocked. A released call then proceeds, or fails when a failure mode is also set, so
 *       {@code hang()} plus {@code failAlways()} simulates a call that times out and then fails;</li>
 *   <li>{@link #heal()}: back to normal, releasing blocked calls.</li>
 * </ul>
 * {@link #calls(String)} counts calls per operation name (e.g. {@code "BalanceStore.find"}), which lets a
 * test assert that concurrent misses collapsed into one store load.
 *
 * <p>Thread-safe.
 */
public final class Faults {

    private final Object lock = new Object();
    private final Map<String, Long> calls = new TreeMap<>();
    private int failNext;
    private boolean failAlways;
    private boolean hanging;
    private long releaseGeneration;
    private int hung;
    private long injected;

    /** Creates fault injection in the healthy state: nothing fails, nothing hangs. */
    public Faults() {
    }

    /**
     * Makes the next {@code n} calls fail (added to any failures still pending).
     *
     * @param n how many calls fail, not negative
     * @return this
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Faults failNext(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        synchronized (lock) {
            failNext = Math.addExact(failNext, n);
        }
        return this;
    }

    /**
     * Makes every call fail until {@link #heal()}.
     *
     * @return this
     */
    public Faults failAlways() {
        synchronized (lock) {
            failAlways = true;
        }
        return this;
    }

    /**
     * Makes every call block until {@link #release()} or {@link #heal()}; an interrupted caller gets a
     * {@link BackendUnavailableException}.
     *
     * @return this
     */
    public Faults hang() {
        synchronized (lock) {
            hanging = true;
        }
        return this;
    }

    /** Lets every blocked call proceed and stops hanging; failure modes stay as they are. */
    public void release() {
        synchronized (lock) {
            hanging = false;
            releaseGeneration++;
            lock.notifyAll();
        }
    }

    /** Back to healthy: clears pending and permanent failures and releases blocked calls. */
    public void heal() {
        synchronized (lock) {
            failNext = 0;
            failAlways = false;
            hanging = false;
            releaseGeneration++;
            lock.notifyAll();
        }
    }

    /**
     * Whether the simulated backend is down now: {@link #failAlways()} or {@link #hang()} is in effect. Does not
     * count as a call, consumes no {@link #failNext(int) pending failure} and never blocks, so probes such as
     * {@code ping()} can use it without disturbing a test's injected failures.
     *
     * @return true while every call would fail or block
     */
    public boolean down() {
        synchronized (lock) {
            return failAlways || hanging;
        }
    }

    /** @return how many calls are blocked by {@link #hang()} right now */
    public int hungCalls() {
        synchronized (lock) {
            return hung;
        }
    }

    /**
     * Waits until at least {@code n} calls are blocked by {@link #hang()}.
     *
     * @param n the number of blocked calls to wait for
     * @param timeout a safety bound, not an assertion on speed
     * @param unit the unit of {@code timeout}
     * @return true when {@code n} calls were blocked, false when the bound elapsed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitHungCalls(int n, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (hung < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** @return how many failures were injected so far */
    public long injectedFailures() {
        synchronized (lock) {
            return injected;
        }
    }

    /**
     * @param operation an operation name such as {@code "BalanceStore.find"}
     * @return how many times it was called (including calls that failed or hung)
     */
    public long calls(String operation) {
        synchronized (lock) {
            return calls.getOrDefault(operation, 0L);
        }
    }

    /** @return every operation called so far with its count, sorted by name (a copy) */
    public Map<String, Long> calls() {
        synchronized (lock) {
            return Map.copyOf(calls);
        }
    }

    /** Forgets the call counts (failure modes are unchanged). */
    public void resetCalls() {
        synchronized (lock) {
            calls.clear();
        }
    }

    /**
     * Called by the in-memory ports at the start of every operation: counts the call, blocks while hanging,
     * then throws when a failure is due. Custom fakes may call it too.
     *
     * @param operation the operation's name, for counting and in the exception message
     * @throws BackendUnavailableException when a failure is injected or a hanging call is interrupted
     */
    public void beforeCall(String operation) {
        Objects.requireNonNull(operation, "operation");
        synchronized (lock) {
            calls.merge(operation, 1L, Long::sum);
            if (hanging) {
                long generation = releaseGeneration;
                hung++;
                lock.notifyAll();
                try {
                    while (hanging && releaseGeneration == generation) {
                        lock.wait();
                    }
                    // Interrupted and released at about the same time, wait() may return normally with the
                    // interrupt still pending: the interrupted call must not go on either.
                    if (Thread.currentThread().isInterrupted()) {
                        throw new BackendUnavailableException("injected hang interrupted: " + operation);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendUnavailableException("injected hang interrupted: " + operation, e);
                } finally {
                    hung--;
                    lock.notifyAll();
                }
            }
            if (failAlways) {
                injected++;
                throw new BackendUnavailableException("injected failure: " + operation);
            }
            if (failNext > 0) {
                failNext--;
                injected++;
                throw new BackendUnavailableException("injected failure: " + operation);
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Faults{failNext=" + failNext + ", failAlways=" + failAlways + ", hanging=" + hanging
                    + ", hung=" + hung + ", injected=" + injected + '}';
        }
    }
}
