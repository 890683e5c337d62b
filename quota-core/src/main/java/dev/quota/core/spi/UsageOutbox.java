package dev.quota.core.spi;

import dev.quota.core.decision.BackendUnavailableException;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The second copy of recorded usage until the store has it: the cache appends an outbox entry in the same
 * atomic step that applies the usage to its counters (see {@link BillingCache#applyUsage}), the gate
 * acknowledges entries once the store committed them, and a recovery drainer in every gateway instance stores
 * the entries an instance that died left behind. Entries are keyed by {@link UsageKey}, so acknowledging is
 * idempotent and needs no id from the append. Thread-safe.
 */
public interface UsageOutbox {

    /**
     * Deletes the entries of usage the store has committed (or refused as a duplicate or moved to the dead
     * letters). Unknown keys are ignored.
     * @param keys the keys
     * @throws BackendUnavailableException when the cache fails
     */
    void acknowledge(Collection<UsageKey> keys);

    /**
     * Claims up to {@code max} entries appended before {@code olderThan} and not claimed by another drainer
     * within {@code lease}: each returned entry is leased to the caller until {@code now + lease} (another
     * claim skips it meanwhile) and stays in the outbox until acknowledged.
     * @param olderThan only entries appended before this instant
     * @param now the current instant (from the gate's clock)
     * @param lease how long the claim keeps other drainers away
     * @param max the most entries to return, positive
     * @return the claimed events, oldest first
     * @throws BackendUnavailableException when the cache fails
     */
    List<UsageEvent> claimStale(Instant olderThan, Instant now, Duration lease, int max);

    /**
     * @return how many entries the outbox holds now (for metrics and tests)
     * @throws BackendUnavailableException when the cache fails
     */
    long size();
}
