package dev.quota.core.stats;

import dev.quota.core.internal.DefaultHourlyRollups;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.UsageLog;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Rebuilds the hourly per-user × model roll-ups ({@link dev.quota.core.usage.HourlyUsage}) from the usage
 * ledger. The SQL ledger ({@code JdbcQuota.ledger()}) keeps the roll-ups exact on its own: it adds the roll-ups
 * of the events it stores in the same transaction (replays add nothing), so no scheduled rebuild is needed.
 * Roll-ups are still derived data, and {@link #rebuild} recomputes a range of hours from the ledger for repairs
 * (rows edited by hand, a store that does not maintain them, a restore).
 *
 * <p>Hours are hours of the business zone ({@link dev.quota.core.usage.HourlyUsage#hourOf}); in zones whose
 * offset is not a whole number of hours they are not UTC hours. Implementations are stateless and
 * thread-safe, but two concurrent rebuilds of overlapping ranges may double-count (each deletes, then adds);
 * run one rebuild per range at a time. Failures of the ledger or the store propagate as
 * {@link dev.quota.core.BackendUnavailableException}.
 */
public interface HourlyRollups {

    /** The most roll-ups written in one {@link RollupStore#add} call. */
    int BATCH_SIZE = 1000;

    /**
     * Creates the service.
     *
     * @param log the usage ledger to read
     * @param rollups the store to write roll-ups to
     * @param zone the business zone that defines the hours
     * @return the service; thread-safe
     * @throws IllegalArgumentException if an argument is null
     */
    static HourlyRollups create(UsageLog log, RollupStore rollups, ZoneId zone) {
        return new DefaultHourlyRollups(log, rollups, zone);
    }

    /**
     * Recomputes the roll-ups of the hours in {@code [from, to)}: deletes the stored ones, reads the ledger's
     * events in the range (one pass, newest first, pages of {@value dev.quota.core.usage.PageRequest#MAX_SIZE})
     * and adds their sums per (hour, user, model) in batches of at most {@value #BATCH_SIZE}. Idempotent:
     * running it twice leaves the same rows.
     *
     * <p>Not atomic: between the delete and the last batch a reader sees the range partly empty. Events
     * appended to the range while the rebuild runs may be missed; rebuild closed hours, or run it again.
     *
     * @param from the first hour's start, an hour boundary in the zone
     * @param to the end (exclusive), an hour boundary in the zone, not before {@code from}
     * @return the number of roll-up rows written (0 when the range has no usage or is empty)
     * @throws IllegalArgumentException if an argument is null, not an hour boundary, or {@code to} is before
     *     {@code from}
     */
    int rebuild(Instant from, Instant to);
}
