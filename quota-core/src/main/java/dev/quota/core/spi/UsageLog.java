package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageTotals;
import java.util.Collection;
import java.util.Optional;

/**
 * The append-only usage ledger, idempotent by {@link UsageKey} (user and request id: a request id is unique
 * per user): appending an event whose key is already stored changes nothing, whatever its other fields; the
 * same request id of two different users is two events. Counters and roll-ups are derived from it. Failures
 * are reported as {@link BackendUnavailableException}. Thread-safe.
 */
public interface UsageLog {

    /**
     * @param event the event
     * @return true when stored, false when its key (user, request id) was already there
     */
    boolean append(UsageEvent event);

    /**
     * Appends a batch; events whose key (user, request id) is already stored (or repeated in the batch) are
     * skipped.
     *
     * @param events the events
     * @return how many were newly stored
     */
    int appendAll(Collection<UsageEvent> events);

    /**
     * @param key the user and request id
     * @return the stored event, empty when absent
     */
    Optional<UsageEvent> find(UsageKey key);

    /**
     * Lists matching events, newest first (ties by request id).
     *
     * @param filter the filter
     * @param page the page
     * @return the page
     */
    Page<UsageEvent> list(UsageFilter filter, PageRequest page);

    /**
     * @param filter the filter
     * @return the totals of the matching events
     */
    UsageTotals totals(UsageFilter filter);
}
