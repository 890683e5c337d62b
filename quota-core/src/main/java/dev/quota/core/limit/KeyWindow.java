package dev.quota.core.limit;

import dev.quota.core.window.Window;
import java.time.Duration;

/** The rolling spend windows of an API key. */
public enum KeyWindow {
    /** Five hours. */
    FIVE_HOURS(Duration.ofHours(5), "5h"),
    /** One day (24 h rolling, not calendar). */
    ONE_DAY(Duration.ofDays(1), "1d"),
    /** Seven days rolling. */
    SEVEN_DAYS(Duration.ofDays(7), "7d");

    private final Window window;
    private final String label;

    KeyWindow(Duration length, String label) {
        this.window = Window.rolling(length);
        this.label = label;
    }

    /** @return the rolling window */
    public Window window() {
        return window;
    }

    /** @return the short label, {@code 5h}, {@code 1d} or {@code 7d} */
    public String label() {
        return label;
    }
}
