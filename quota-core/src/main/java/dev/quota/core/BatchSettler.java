package dev.quota.core;

import dev.quota.core.spi.UsageSink.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles every event of a batch however its write ended, then frees its places. A written batch: each event
 * gets its own outcome; a rejected (poison) event is counted, logged and told, and never makes the batch be
 * retried. A failed round: synchronous callers are answered with the failure, the rest stays buffered, or at
 * the close deadline is abandoned (logged with its request ids and handed to the abandon handler).
 * Thread-safe.
 */
final class BatchSettler {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    private final UsageBuffer buffer;
    private final WriterMetrics metrics;
    private final Consumer<List<UsageEvent>> onAbandoned;

    BatchSettler(UsageBuffer buffer, WriterMetrics metrics, Consumer<List<UsageEvent>> onAbandoned) {
        this.buffer = buffer;
        this.metrics = metrics;
        this.onAbandoned = onAbandoned;
    }

    /**
     * @param batch a batch its target answered for
     * @param result the target's answer
     */
    void written(UsageBatch batch, UsageTarget.Written result) {
        LedgerOutcomes outcomes = new LedgerOutcomes(result.outcomes());
        long duplicates = 0;
        long rejected = 0;
        for (PendingUsage e : batch.entries) { // before the release, so that flush() returns after the callbacks
            LedgerOutcomes.Found found = outcomes.of(e.event);
            switch (found.outcome()) {
                case STORED -> {
                    // counted from the target's answer
                }
                case DUPLICATE -> duplicates++;
                case REJECTED -> {
                    rejected++;
                    LOG.error("Usage event {} of user {} was rejected by the store and moved to the dead letters: {}",
                            e.event.requestId(), e.event.userId(), LogText.brief(found.error()));
                }
                default -> throw new IllegalStateException(found.outcome().name());
            }
            e.settle(found.outcome(), found.error(), null);
        }
        long dups = duplicates;
        long bad = rejected;
        buffer.release(batch.entries,
                () -> metrics.written(batch.entries.size(), result.newRows(), dups, bad));
    }

    /**
     * @param batch a batch whose round failed
     * @param e the last failure
     */
    void failed(UsageBatch batch, RuntimeException e) {
        UsageBuffer.FailedRound round = buffer.failedRound(batch);
        BackendUnavailableException failure = e instanceof BackendUnavailableException bue ? bue
                : new BackendUnavailableException("storing usage failed: " + LogText.brief(String.valueOf(e)), e);
        for (PendingUsage entry : round.synchronous()) {
            entry.settle(Outcome.ABANDONED, null, failure);
        }
        List<PendingUsage> abandon = round.abandoned();
        if (abandon.isEmpty()) {
            if (round.retained() > 0) {
                LOG.error("Writing {} usage events failed after all retries (round {}); they stay buffered and will"
                        + " be retried", round.retained(), round.round(), e);
            }
            return;
        }
        List<String> ids = new ArrayList<>(abandon.size());
        List<UsageEvent> events = new ArrayList<>(abandon.size());
        abandon.forEach(en -> {
            ids.add(en.event.requestId());
            events.add(en.event);
        });
        LOG.error("Abandoning {} usage events at close after all retries; request ids: {}", abandon.size(), ids, e);
        for (PendingUsage entry : abandon) {
            entry.settle(Outcome.ABANDONED, null, failure);
        }
        PendingUsage.safely(() -> onAbandoned.accept(List.copyOf(events)));
    }

    /** @param entry an event handed over after the writer stopped (its slot outlived the close timeout) */
    void late(PendingUsage entry) {
        LOG.error("Usage event {} arrived after the writer stopped (its slot outlived the close timeout); abandoned",
                entry.event.requestId());
        entry.settle(Outcome.ABANDONED, null, new BackendUnavailableException("the usage writer stopped; event not"
                + " stored"));
        PendingUsage.safely(() -> onAbandoned.accept(List.of(entry.event)));
    }
}
