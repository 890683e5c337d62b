package dev.quota.testkit;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link UsageSink} for tests: remembers every submitted event in order ({@link #submitted()}) and, when
 * built with {@link #forwardingTo}, applies each one to a {@link UsageLedger} on the caller's thread (no
 * buffering, so {@link #flush()} has nothing to do). Failures are injected through {@link #faults()}: a failed
 * submit records and applies nothing.
 *
 * <p>Thread-safe.
 */
public final class InMemoryUsageSink implements UsageSink {

    private final List<UsageEvent> submitted = new ArrayList<>();
    private final UsageLedger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final Faults faults;
    private boolean closed;
    private int flushes;

    private InMemoryUsageSink(UsageLedger ledger, Clock clock, ZoneId zone, Faults faults) {
        this.ledger = ledger;
        this.clock = clock;
        this.zone = zone;
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** Creates a sink that only remembers what it is given, with its own {@link Faults}. */
    public InMemoryUsageSink() {
        this(null, null, null, new Faults());
    }

    /**
     * A sink that remembers every event and applies it to {@code ledger} at the clock's current instant.
     *
     * @param ledger the ledger to apply events to
     * @param clock the clock for window math (e.g. a {@link MutableClock})
     * @param zone the business zone
     * @return the sink, with its own {@link Faults}
     */
    public static InMemoryUsageSink forwardingTo(UsageLedger ledger, Clock clock, ZoneId zone) {
        return new InMemoryUsageSink(Objects.requireNonNull(ledger, "ledger"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(zone, "zone"), new Faults());
    }

    /** @return the fault injection this sink obeys */
    public Faults faults() {
        return faults;
    }

    @Override
    public void submit(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (submitted) {
            if (closed) {
                throw new IllegalStateException("usage sink is closed");
            }
        }
        faults.beforeCall("UsageSink.submit");
        if (ledger != null) {
            ledger.apply(event, Instant.ofEpochMilli(clock.millis()), zone);
        }
        synchronized (submitted) {
            submitted.add(event);
        }
    }

    @Override
    public void flush() {
        synchronized (submitted) {
            flushes++;
        }
    }

    @Override
    public void close() {
        synchronized (submitted) {
            closed = true;
        }
    }

    /** @return every event submitted so far, in order, replays included (a copy) */
    public List<UsageEvent> submitted() {
        synchronized (submitted) {
            return List.copyOf(submitted);
        }
    }

    /** @return how many times {@link #flush()} was called */
    public int flushes() {
        synchronized (submitted) {
            return flushes;
        }
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        synchronized (submitted) {
            return closed;
        }
    }
}
