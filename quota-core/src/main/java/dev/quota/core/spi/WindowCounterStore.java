package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Generic window counters in the source of truth, e.g. an API key's 5 h / 1 d / 7 d spend
 * ({@code apikey:42:5h}). An increment and the reset of an expired window happen in one atomic step, so
 * a window that expires between two increments is reset exactly once. Failures are reported as
 * {@link BackendUnavailableException}. Thread-safe.
 */
public interface WindowCounterStore {

    /**
     * Adds {@code amount}; when the counter is absent or its window expired at {@code now}, sets it to
     * {@code amount} with the window's new start ({@link Window#startAt}).
     *
     * @param counter the counter name (1 to 200 characters)
     * @param window the counter's window
     * @param amount the amount, not negative
     * @param now the current instant (from the service's clock)
     * @param zone the business zone
     * @return the counter after the increment
     * @throws IllegalArgumentException if the name is blank or too long, or {@code amount} is negative
     */
    WindowUsage add(String counter, Window window, long amount, Instant now, ZoneId zone);

    /**
     * @param counter the counter name
     * @return the stored counter (possibly of an expired window), empty when absent
     */
    Optional<WindowUsage> find(String counter);
}
