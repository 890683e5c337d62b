package dev.quota.core;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** Factories of {@link UsageSink}s. */
public final class UsageSinks {

    private UsageSinks() {
    }

    /**
     * A sink that applies each event to the ledger on the caller's thread (no buffering): the simplest
     * durable sink, right for tests and low volumes. A failing ledger makes {@link UsageSink#submit} throw
     * {@link dev.quota.core.decision.BackendUnavailableException}, so the caller can retry (recording is
     * idempotent by request id). For production volumes use a batching writer.
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
        return new UsageSink() {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public void submit(UsageEvent event) {
                if (closed.get()) {
                    throw new IllegalStateException("usage sink is closed");
                }
                ledger.apply(event, java.time.Instant.ofEpochMilli(clock.millis()), zone);
            }

            @Override
            public void flush() {
                // nothing is buffered
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
    }
}
