package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.usage.HourlyUsage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Hourly per-user × model usage roll-ups, derived from the usage log: kept live by a ledger that adds them in
 * the transaction storing the events (the SQL adapter does), and rebuilt in batches by
 * {@link dev.quota.core.stats.HourlyRollups} for repairs. Adding a roll-up
 * for an existing (hour, user, model) adds to it. Failures are reported as
 * {@link BackendUnavailableException}. Thread-safe.
 */
public interface RollupStore {

    /**
     * Adds each roll-up to the stored one of the same hour, user and model (creating it when absent), all
     * in one atomic step.
     *
     * @param rollups the roll-ups
     */
    void add(Collection<HourlyUsage> rollups);

    /**
     * @param userId the user, or {@code null} for all users
     * @param from inclusive lower bound on the hour
     * @param to exclusive upper bound on the hour
     * @return matching roll-ups ordered by hour, user, model
     */
    List<HourlyUsage> find(Long userId, Instant from, Instant to);

    /**
     * Deletes roll-ups in a range, so they can be rebuilt from the usage log.
     *
     * @param from inclusive lower bound on the hour
     * @param to exclusive upper bound on the hour
     * @return how many were deleted
     */
    int deleteRange(Instant from, Instant to);
}
