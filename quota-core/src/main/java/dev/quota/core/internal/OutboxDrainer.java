package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery drainer of one gate: every {@code interval} (real time) it claims outbox entries older than
 * {@code idle} by the gate's clock (left by an instance that died before its writer stored them), leased for
 * {@code idle}, and hands each to the gate, which stores it through its usage sink and acknowledges it once
 * settled. Storing is idempotent by {@link dev.quota.core.usage.UsageKey}, so an entry a live instance is
 * still storing is harmless. Thread-safe.
 */
final class OutboxDrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDrainer.class);
    private static final int CLAIM = 200;

    private final UsageOutbox outbox;
    private final Clock clock;
    private final Duration idle;
    private final Predicate<UsageEvent> handOver;
    private final ScheduledExecutorService worker;

    /**
     * @param outbox the outbox
     * @param clock the gate's clock
     * @param interval how often to look
     * @param idle how old an entry must be; also the lease
     * @param handOver hands a claimed event to the sink; false when the sink has no room (the round stops)
     */
    OutboxDrainer(UsageOutbox outbox, Clock clock, Duration interval, Duration idle, Predicate<UsageEvent> handOver) {
        this.outbox = outbox;
        this.clock = clock;
        this.idle = idle;
        this.handOver = handOver;
        this.worker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("quota-outbox-drain"));
        long ms = Math.max(1, interval.toMillis());
        worker.scheduleWithFixedDelay(this::quietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One round: claims stale entries and hands them over until none are left or the sink is full. */
    void drainOnce() {
        while (!Thread.currentThread().isInterrupted()) {
            Instant now = Instant.ofEpochMilli(clock.millis());
            List<UsageEvent> claimed;
            try {
                claimed = outbox.claimStale(now.minus(idle), now, idle, CLAIM);
            } catch (BackendUnavailableException e) {
                LOG.debug("outbox drain skipped, the cache is unavailable: {}", e.toString());
                return;
            }
            if (claimed.isEmpty()) {
                return;
            }
            LOG.warn("recovering {} usage events left in the outbox by an instance that stopped", claimed.size());
            for (UsageEvent e : claimed) {
                if (!handOver.test(e)) {
                    return; // no room: the rest stay leased and are claimed again after the lease
                }
            }
            if (claimed.size() < CLAIM) {
                return;
            }
        }
    }

    private void quietly() {
        try {
            drainOnce();
        } catch (RuntimeException e) {
            LOG.warn("outbox drain failed", e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
