package dev.quota.core.spi;

import dev.quota.core.UsageEvent;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link UsageLedger#store} did with each event of a batch: every event is in exactly one list. An event
 * repeated within the batch (same {@link dev.quota.core.usage.UsageKey}) is decided by its first occurrence and
 * its later occurrences are duplicates.
 *
 * @param stored events newly stored (their counters moved in the same transaction)
 * @param duplicates events whose key (user, request id) the ledger already held: nothing changed for them
 * @param rejected events the store refused as data (moved to the dead letters with the error)
 */
public record LedgerResult(List<UsageEvent> stored, List<UsageEvent> duplicates, List<RejectedUsage> rejected) {

    /**
     * Copies the lists.
     *
     * @param stored events newly stored
     * @param duplicates events whose key was already stored, or repeated earlier in the batch
     * @param rejected events refused as data
     */
    public LedgerResult {
        stored = List.copyOf(Objects.requireNonNull(stored, "stored"));
        duplicates = List.copyOf(Objects.requireNonNull(duplicates, "duplicates"));
        rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
    }

    /**
     * An event a store refused as data, with the reason.
     *
     * @param event the event
     * @param error the store's error message
     */
    public record RejectedUsage(UsageEvent event, String error) {
        /**
         * Validates.
         *
         * @param event the event
         * @param error the store's error message
         */
        public RejectedUsage {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(error, "error");
        }
    }
}
