package dev.quota.core.spi;

import dev.quota.core.decision.BackendUnavailableException;
import dev.quota.core.usage.UsageEvent;

/**
 * Where recorded usage goes to be stored durably, typically a bounded, batching writer in front of a
 * {@link UsageLog}. Nothing is dropped silently: when its buffer is full, {@link #submit} slows the caller
 * (or writes synchronously) instead of discarding; failures are retried and counted. Thread-safe.
 */
public interface UsageSink extends AutoCloseable {

    /**
     * Hands over one event; returns once the event is buffered or written.
     *
     * @param event the event
     * @throws BackendUnavailableException when the event could not be buffered nor written
     * @throws IllegalStateException after {@link #close()}
     */
    void submit(UsageEvent event);

    /** Writes everything buffered so far and returns when it is stored (or failed permanently). */
    void flush();

    /** Flushes and stops; idempotent. */
    @Override
    void close();
}
