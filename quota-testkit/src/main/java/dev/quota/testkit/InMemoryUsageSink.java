package dev.quota.testkit;

import dev.quota.core.QuotaTime;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link UsageSink} for tests: remembers every handed-over event in order ({@link #submitted()}) and, when
 * built with {@link #forwardingTo}, stores each one in a {@link UsageLedger} with {@link UsageLedger#store} on
 * the caller's thread. Failures are injected through {@link #faults()}: a failed {@link #reserve()} takes
 * nothing ({@code "UsageSink.submit"} is the operation name).
 *
 * <p>Like a buffering writer, {@link UsageSink.Slot#submit} never fails: when the ledger throws, the event is
 * kept {@linkplain #pending() pending} and tried again by {@link #flush()}. {@link #hold()} keeps every later
 * submitted event pending until {@link #resume()} (a writer that lags), and {@link #crash()} forgets the pending
 * events without telling anyone (a process that died before its writer stored them).
 *
 * <p>Thread-safe.
 */
public final class InMemoryUsageSink implements UsageSink {

    private final List<UsageEvent> submitted = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final UsageLedger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final Faults faults;
    private boolean closed;
    private boolean holding;
    private int flushes;

    private record Pending(UsageEvent event, Progress progress) {
    }

    private InMemoryUsageSink(UsageLedger ledger, Clock clock, ZoneId zone, Faults faults) {
        this.ledger = ledger;
        this.clock = clock;
        this.zone = zone;
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** Creates a sink that only remembers what it is given (every event settles as stored), with its own {@link Faults}. */
    public InMemoryUsageSink() {
        this(null, null, null, new Faults());
    }

    /**
     * A sink that remembers every event and stores it in {@code ledger} at the clock's current instant.
     *
     * @param ledger the ledger to store events in
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

    /** @return the clock and zone of the ledger this sink forwards to; empty for a sink that only remembers */
    @Override
    public java.util.Optional<QuotaTime> time() {
        return zone == null ? java.util.Optional.empty() : java.util.Optional.of(new QuotaTime(clock, zone));
    }

    @Override
    public Slot reserve() {
        synchronized (submitted) {
            if (closed) {
                throw new IllegalStateException("usage sink is closed");
            }
        }
        faults.beforeCall("UsageSink.submit");
        AtomicBoolean used = new AtomicBoolean();
        return new Slot() {
            @Override
            public void submit(UsageEvent event, Progress progress) {
                use(used, event, progress);
                boolean later;
                synchronized (submitted) {
                    submitted.add(event);
                    later = holding;
                    if (later) {
                        pending.add(new Pending(event, progress));
                    }
                }
                if (!later) {
                    try {
                        storeNow(event, progress);
                    } catch (BackendUnavailableException e) {
                        synchronized (submitted) {
                            pending.add(new Pending(event, progress));
                        }
                    }
                }
            }

            @Override
            public Outcome store(UsageEvent event, Progress progress) {
                use(used, event, progress);
                synchronized (submitted) {
                    submitted.add(event);
                }
                try {
                    return storeNow(event, progress);
                } catch (BackendUnavailableException e) {
                    progress.settled(Outcome.ABANDONED);
                    throw e;
                }
            }

            @Override
            public void cancel() {
                if (!used.compareAndSet(false, true)) {
                    throw new IllegalStateException("this slot was used already");
                }
            }
        };
    }

    private static void use(AtomicBoolean used, UsageEvent event, Progress progress) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(progress, "progress");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this slot was used already");
        }
    }

    /** Stores now; throws (telling nothing but {@code committing}) when the ledger fails. */
    private Outcome storeNow(UsageEvent event, Progress progress) {
        if (ledger == null) {
            progress.committing();
            progress.settled(Outcome.STORED);
            return Outcome.STORED;
        }
        progress.committing();
        return progress.settledBy(ledger.store(List.of(event), Instant.ofEpochMilli(clock.millis()), zone));
    }

    /** Keeps every event submitted from now on pending (a lagging writer) until {@link #resume()}. */
    public void hold() {
        synchronized (submitted) {
            holding = true;
        }
    }

    /** Ends {@link #hold()}; pending events are stored by the next {@link #flush()}. */
    public void resume() {
        synchronized (submitted) {
            holding = false;
        }
    }

    /**
     * Forgets every pending event without storing or settling it, as a process killed before its writer
     * stored them would.
     *
     * @return the events forgotten
     */
    public List<UsageEvent> crash() {
        synchronized (submitted) {
            List<UsageEvent> lost = new ArrayList<>();
            pending.forEach(p -> lost.add(p.event()));
            pending.clear();
            return lost;
        }
    }

    /** @return events submitted and not stored yet (held, or their store failed) */
    public List<UsageEvent> pending() {
        synchronized (submitted) {
            List<UsageEvent> out = new ArrayList<>();
            pending.forEach(p -> out.add(p.event()));
            return out;
        }
    }

    /** Stores the pending events unless {@linkplain #hold() holding}; events whose store fails stay pending. */
    @Override
    public void flush() {
        List<Pending> todo;
        synchronized (submitted) {
            flushes++;
            if (holding) {
                return;
            }
            todo = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : todo) {
            try {
                storeNow(p.event(), p.progress());
            } catch (BackendUnavailableException e) {
                synchronized (submitted) {
                    pending.add(p);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (submitted) {
            if (closed) {
                return;
            }
            closed = true;
        }
        flush();
    }

    /** @return every event handed over so far, in order, replays included (a copy) */
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
