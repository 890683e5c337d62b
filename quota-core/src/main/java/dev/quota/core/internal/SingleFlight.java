package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.InvalidDataException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Collapses concurrent loads of the same key into one. The load runs on its own executor, detached from
 * every caller (a caller that gives up or is interrupted does not cancel it for the others), and each
 * caller waits at most the load timeout. Thread-safe.
 *
 * @param <K> the key type
 */
public final class SingleFlight<K> {

    private final ConcurrentHashMap<K, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    private final Executor executor;
    private final Duration timeout;

    /**
     * @param executor runs the loads
     * @param timeout how long a caller waits
     */
    public SingleFlight(Executor executor, Duration timeout) {
        this.executor = executor;
        this.timeout = timeout;
    }

    /**
     * Loads {@code key} once for all concurrent callers.
     *
     * @param key the key
     * @param loader the load
     * @param <V> the value type
     * @return the loaded value
     * @throws BackendUnavailableException when the load fails or takes longer than the timeout
     * @throws InvalidDataException when the load found a row it cannot decode (passed through as is)
     */
    @SuppressWarnings("unchecked")
    public <V> V load(K key, Supplier<V> loader) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> flight = inFlight.putIfAbsent(key, mine);
        if (flight == null) {
            flight = mine;
            try {
                executor.execute(() -> {
                    // Leave the map before completing: a caller that sees the result and loads again must
                    // start a fresh load, never join this finished one.
                    Object value = null;
                    Throwable failure = null;
                    try {
                        value = loader.get();
                    } catch (Throwable t) {
                        failure = t;
                    }
                    inFlight.remove(key, mine);
                    if (failure == null) {
                        mine.complete(value);
                    } else {
                        mine.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException rejected) {
                inFlight.remove(key, mine);
                throw new BackendUnavailableException("load of " + key + " could not start", rejected);
            }
        }
        try {
            return (V) flight.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new BackendUnavailableException("load of " + key + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while loading " + key, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BackendUnavailableException b) {
                throw b;
            }
            if (cause instanceof InvalidDataException bad) {
                throw bad; // one row's problem, not an outage
            }
            throw new BackendUnavailableException("load of " + key + " failed: " + cause, cause);
        }
    }

    /** @return the number of loads in flight */
    public int inFlight() {
        return inFlight.size();
    }
}
