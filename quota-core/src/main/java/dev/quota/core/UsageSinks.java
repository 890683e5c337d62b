package dev.quota.core;

import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** Factories of {@link UsageSink}s. */
public final class UsageSinks {

    private UsageSinks() {
    }

    /**
     * A sink that stores each event with {@link UsageLedger#store} on the caller's thread (no buffering): the
     * simplest durable sink, right for tests and low volumes. Having no buffer, it cannot keep the promise that
     * {@link UsageSink.Slot#submit} never fails: both {@code submit} and {@code store} store synchronously and
     * throw {@link BackendUnavailableException} when the ledger fails (the event is then not stored; its
     * {@link UsageSink.Progress} is told {@link UsageSink.Outcome#ABANDONED}). For production volumes use a
     * {@link BatchingUsageWriter}.
     *
     * @param ledger the ledger
     * @param clock the clock for window math
     * @param zone the business zone
     * @return the sink; thread-safe
     */
    public static UsageSink direct(UsageLedger ledger, Clock clock, ZoneId zone) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        return new DirectSink(ledger, new QuotaTime(clock, zone));
    }

    /** See {@link #direct}. */
    private static final class DirectSink implements UsageSink {
        private final UsageLedger ledger;
        private final QuotaTime time;
        private final AtomicBoolean closed = new AtomicBoolean();

        DirectSink(UsageLedger ledger, QuotaTime time) {
            this.ledger = ledger;
            this.time = time;
        }

        @Override
        public java.util.Optional<QuotaTime> time() {
            return java.util.Optional.of(time);
        }

        @Override
        public Slot reserve() {
            if (closed.get()) {
                throw new IllegalStateException("usage sink is closed");
            }
            SlotUse use = new SlotUse();
            return new Slot() {
                @Override
                public void submit(UsageEvent event, Progress progress) {
                    store(event, progress);
                }

                @Override
                public Outcome store(UsageEvent event, Progress progress) {
                    Objects.requireNonNull(event, "event");
                    Objects.requireNonNull(progress, "progress");
                    use.take();
                    return storeNow(event, progress);
                }

                @Override
                public void cancel() {
                    use.take();
                }
            };
        }

        private Outcome storeNow(UsageEvent event, Progress progress) {
            progress.committing();
            LedgerResult result;
            try {
                result = ledger.store(List.of(event), time.now(), time.zone());
            } catch (BackendUnavailableException e) {
                progress.settled(Outcome.ABANDONED);
                throw e;
            }
            return progress.settledBy(result);
        }

        @Override
        public void flush() {
            // nothing is buffered
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
