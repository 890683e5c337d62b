package dev.quota.core;

import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageSink.Outcome;
import dev.quota.core.usage.UsageKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of each event of a written batch, found in a {@link LedgerResult} by identity, else by key (a
 * ledger may answer with equal copies). An event the ledger did not answer for counts as a duplicate: the
 * answer that makes the gate evict, never wrong. Not thread-safe: one per batch.
 */
final class LedgerOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingUsageWriter.class);

    /**
     * One event's outcome.
     *
     * @param outcome stored, duplicate or rejected
     * @param error the store's error for a rejected event, else null
     */
    record Found(Outcome outcome, String error) {
    }

    private final IdentityHashMap<UsageEvent, Found> byIdentity = new IdentityHashMap<>();
    private final Map<UsageKey, ArrayDeque<Found>> byKey = new HashMap<>();

    LedgerOutcomes(LedgerResult result) {
        result.stored().forEach(e -> put(e, new Found(Outcome.STORED, null)));
        result.duplicates().forEach(e -> put(e, new Found(Outcome.DUPLICATE, null)));
        result.rejected().forEach(r -> put(r.event(), new Found(Outcome.REJECTED, r.error())));
    }

    private void put(UsageEvent e, Found found) {
        byIdentity.put(e, found);
        byKey.computeIfAbsent(UsageKey.of(e), k -> new ArrayDeque<>(1)).addLast(found);
    }

    /**
     * @param event an event of the batch
     * @return its outcome
     */
    Found of(UsageEvent event) {
        Found found = byIdentity.get(event);
        if (found != null) {
            return found;
        }
        ArrayDeque<Found> sameKey = byKey.get(UsageKey.of(event));
        if (sameKey != null && !sameKey.isEmpty()) {
            return sameKey.pollFirst();
        }
        LOG.error("The ledger reported no outcome for usage event {} of user {}; treating it as a duplicate",
                event.requestId(), event.userId());
        return new Found(Outcome.DUPLICATE, null);
    }
}
