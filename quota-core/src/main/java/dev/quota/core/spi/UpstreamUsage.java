package dev.quota.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An upstream account's own usage window as its provider reports it (e.g. Anthropic's 5-hour and 7-day
 * utilization).
 *
 * @param window the window name, e.g. {@code "5h"} or {@code "7d"}
 * @param utilizationPercent utilization in percent as reported (a display value, not money)
 * @param resetsAt when the window resets, or {@code null} when the window is not active
 */
public record UpstreamUsage(String window, double utilizationPercent, Instant resetsAt) {

    /**
     * Validates.
     *
     * @param window the window name, e.g. {@code "5h"} or {@code "7d"}
     * @param utilizationPercent utilization in percent as reported (a display value, not money)
     * @param resetsAt when the window resets, or {@code null} when the window is not active
     */
    public UpstreamUsage {
        Objects.requireNonNull(window, "window");
        if (Double.isNaN(utilizationPercent) || utilizationPercent < 0) {
            throw new IllegalArgumentException("utilizationPercent must be a number >= 0: " + utilizationPercent);
        }
    }
}
