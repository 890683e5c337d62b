package dev.quota.core.internal;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.usage.UsageKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges outbox entries of settled usage in batches, off the callers' threads. A failed acknowledgement is
 * kept and retried in the next round; an entry that is never acknowledged (the queue overflowed, or the process
 * died) is only stored again, idempotently, by a drainer. Thread-safe.
 */
final class OutboxAcker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxAcker.class);
    private static final int BATCH = 500;
    /** Keys kept at most; beyond this a key is dropped (its entry is re-stored idempotently by a drainer). */
    private static final int MAX_QUEUED = 200_000;

    private final UsageOutbox outbox;
    private final ConcurrentLinkedQueue<UsageKey> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object round = new Object();
    private final ScheduledExecutorService worker;

    /**
     * @param outbox the outbox
     * @param every how often queued keys are acknowledged
     */
    OutboxAcker(UsageOutbox outbox, Duration every) {
        this.outbox = outbox;
        this.worker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("quota-outbox-ack"));
        long ms = every.toMillis();
        worker.scheduleWithFixedDelay(this::quietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a key for acknowledgement.
     *
     * @param key the key of settled usage
     */
    void add(UsageKey key) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            if (dropped.incrementAndGet() % 10_000 == 1) {
                LOG.warn("outbox acknowledgements are backing up ({} queued); dropping some (a drainer re-stores"
                        + " their entries idempotently)", MAX_QUEUED);
            }
            return;
        }
        queue.add(key);
    }

    /**
     * Acknowledges everything queued now; what fails stays queued.
     *
     * @return true when the queue was emptied
     */
    boolean flush() {
        synchronized (round) {
            while (!queue.isEmpty()) {
                List<UsageKey> batch = new ArrayList<>(BATCH);
                UsageKey k;
                while (batch.size() < BATCH && (k = queue.poll()) != null) {
                    batch.add(k);
                }
                try {
                    outbox.acknowledge(batch);
                    queued.addAndGet(-batch.size());
                    acknowledged.addAndGet(batch.size());
                } catch (BackendUnavailableException e) {
                    queue.addAll(batch); // retried in the next round
                    LOG.debug("outbox acknowledgement failed; retried later: {}", e.toString());
                    return false;
                }
            }
            return true;
        }
    }

    private void quietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("outbox acknowledgement failed", e);
        }
    }

    /** @return keys acknowledged so far */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Acknowledges what it can and stops. */
    @Override
    public void close() {
        worker.shutdownNow();
        quietly();
    }
}
