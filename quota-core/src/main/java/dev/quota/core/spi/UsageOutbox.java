package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.UsageEvent;
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
 * idempotent and needs no id from the append (which is why the Redis adapter keeps a hash and a sorted set per
 * shard rather than a Redis Stream: a stream entry could only be deleted by the id its append returned).
 *
 * <p>Each entry carries a score: the {@code now} of the cache call that appended it (the gate's clock, never
 * the server's), later the end of the lease of the drainer that claimed it. Only entries scored before a
 * claim's {@code olderThan} are claimed, so a live instance's entries are left to it for the idle time and a
 * claimed entry is left to its drainer for the lease. Delivery is at least once: a drainer may claim an entry
 * the gate is storing at the same time, so whatever stores claimed entries must be idempotent by
 * {@link UsageKey}. Thread-safe.
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
     * @param lease how long the claim keeps other drainers away, at least 1 ms
     * @param max the most entries to return, positive
     * @return the claimed events, oldest first; fewer than {@code max} when no more were stale and unclaimed (or
     *         other drainers kept taking them)
     * @throws IllegalArgumentException when {@code lease} or {@code max} is not positive
     * @throws BackendUnavailableException when the cache fails
     */
    List<UsageEvent> claimStale(Instant olderThan, Instant now, Duration lease, int max);

    /**
     * @return how many entries the outbox holds now (for metrics and tests)
     * @throws BackendUnavailableException when the cache fails
     */
    long size();
}
