package dev.quota.core.internal;

import java.time.Clock;
import java.time.Instant;

/** Quota keeps time at millisecond precision, the precision of every store and script. */
final class Millis {

    private Millis() {
    }

    /**
     * @param clock the gate's clock
     * @return the clock's instant, truncated to the millisecond
     */
    static Instant now(Clock clock) {
        return Instant.ofEpochMilli(clock.millis());
    }
}
