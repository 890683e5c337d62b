package dev.quota.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts events and logs a warning about them at most once per interval (by the injected clock), with the
 * number counted since the last log line. Thread-safe.
 */
public final class ThrottledLog {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param log the logger
     * @param clock the clock
     * @param interval the minimum time between two log lines
     */
    public ThrottledLog(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Counts one event and logs when the interval has passed.
     *
     * @param message the message; {@code {}} placeholders receive the count and {@code detail}
     * @param detail a detail of the latest event
     * @return true when a line was logged
     */
    public boolean record(String message, Object detail) {
        pending.incrementAndGet();
        total.incrementAndGet();
        long now = clock.millis();
        long last = lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < intervalMillis) {
            return false;
        }
        if (!lastLogged.compareAndSet(last, now)) {
            return false;
        }
        long n = pending.getAndSet(0);
        log.warn(message, n, detail);
        return true;
    }

    /** @return every event counted since creation */
    public long total() {
        return total.get();
    }
}
