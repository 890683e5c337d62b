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

    /**
     * Hands over one event and calls {@code onSettled} once it is <em>settled</em>: stored durably, or given
     * up for good (abandoned). The billing gate uses this to know which of a user's usage the store may still
     * lack, and holds back cache refills for that user until it has none (a refill loaded before the store
     * caught up would undercount). {@code onSettled} runs at most once, on whatever thread settles the event;
     * it must be quick and must not throw. Nothing is called when this method throws (the event was not taken).
     *
     * <p>The default implementation calls {@link #submit(UsageEvent)} and then {@code onSettled}, which is
     * right for sinks that store before {@code submit} returns. Buffering sinks override it; one that does not
     * leaves the gate protected by the cache's time-based dirty markers only.
     *
     * @param event the event
     * @param onSettled called once the event is stored or abandoned
     * @throws BackendUnavailableException when the event could not be buffered nor written
     * @throws IllegalStateException after {@link #close()}
     */
    default void submit(UsageEvent event, Runnable onSettled) {
        submit(event);
        onSettled.run();
    }

    /** Writes everything buffered so far and returns when it is stored (or failed permanently). */
    void flush();

    /** Flushes and stops; idempotent. */
    @Override
    void close();
}
