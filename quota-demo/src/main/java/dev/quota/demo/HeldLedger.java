package dev.quota.demo;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL ledger the demo's usage writer stores into, behind a gate that can hold the writer back: while
 * {@linkplain #hold() held}, every call that would store usage waits until {@link #release()}, so SQL receives
 * nothing (as when the database stalls) while the gate goes on charging Redis. A call that waited is written
 * when released, so it takes its {@code now} from the clock then, as the writer reads the clock when it writes
 * a batch; calls made while not held pass through unchanged. A call waits at most {@link #MAX_WAIT} of wall-clock
 * time (then it stores, with a warning), so that a run whose gateway thread had to store synchronously (the
 * cache failing during the hold) ends instead of hanging. Thread-safe.
 */
public final class HeldLedger implements UsageLedger {

    /** The longest wall-clock time one call waits for the release. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(HeldLedger.class);

    private final UsageLedger ledger;
    private final Clock clock;
    private final Object lock = new Object();
    private boolean held;
    private long waited;

    /**
     * @param ledger the ledger that stores
     * @param clock the clock a call that waited takes its {@code now} from
     */
    public HeldLedger(UsageLedger ledger, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Holds every later store call until {@link #release()}. */
    public void hold() {
        synchronized (lock) {
            held = true;
        }
    }

    /** Lets the waiting store calls and every later one through. */
    public void release() {
        synchronized (lock) {
            held = false;
            lock.notifyAll();
        }
    }

    /** @return store calls that waited for a release so far (they depend on the writer's batching) */
    public long waitedCalls() {
        synchronized (lock) {
            return waited;
        }
    }

    /**
     * @param now the caller's instant
     * @return {@code now} when not held, else the clock's instant once released
     * @throws BackendUnavailableException when interrupted while held (nothing was stored; its flag is kept)
     */
    private Instant awaitRelease(Instant now) {
        synchronized (lock) {
            if (!held) {
                return now;
            }
            waited++;
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            while (held) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("a store call waited {} for the release of the held SQL writer: storing now", MAX_WAIT);
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendUnavailableException("interrupted while the SQL writer was held back", e);
                }
            }
        }
        return clock.instant();
    }

    @Override
    public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        return ledger.apply(event, awaitRelease(now), zone);
    }

    @Override
    public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        return ledger.applyAll(events, awaitRelease(now), zone);
    }

    @Override
    public LedgerResult store(List<UsageEvent> events, Instant now, ZoneId zone) {
        return ledger.store(events, awaitRelease(now), zone);
    }
}
