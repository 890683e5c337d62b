package dev.quota.core.internal;

import dev.quota.core.usage.UsageEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per user, the usage events the gate handed to its usage sink that are not settled yet (stored, refused or
 * abandoned). While a user has some, the store may lack that usage: a store read of that user is answered
 * with them added, and no cache entry of that user is refilled from it. The record path calls
 * {@link #add} before the cache write, {@link #committing} when the sink starts the transaction that may
 * store the event, and {@link #settled} once the sink is done with it. Thread-safe; users without unsettled
 * usage have no entry.
 */
final class UnsettledUsage {

    private final ConcurrentHashMap<Long, ArrayDeque<UsageEvent>> byUser = new ConcurrentHashMap<>();

    /**
     * Notes an event as on its way to the store.
     * @param event the event
     */
    void add(UsageEvent event) {
        byUser.compute(event.userId(), (k, events) -> {
            ArrayDeque<UsageEvent> queue = events == null ? new ArrayDeque<>(4) : events;
            queue.addLast(event); // settled mostly in this order, so removal usually finds it at the head
            return queue;
        });
    }

    /**
     * Notes that a transaction that may store the event has begun (it may be in the store from now on).
     * @param event the event
     */
    void committing(UsageEvent event) {
        // the double-count fix (issue 8) tracks this; until then a store read may count it twice
    }

    /**
     * Notes that the sink is done with the event.
     * @param event the event
     */
    void settled(UsageEvent event) {
        byUser.computeIfPresent(event.userId(), (k, events) -> {
            events.removeFirstOccurrence(event);
            return events.isEmpty() ? null : events;
        });
    }

    /**
     * @param userId the user
     * @return true when no event of the user is unsettled
     */
    boolean quiet(long userId) {
        return !byUser.containsKey(userId);
    }

    /**
     * @param userId the user
     * @return a copy of the user's unsettled events, oldest first
     */
    List<UsageEvent> of(long userId) {
        List<List<UsageEvent>> copy = new ArrayList<>(1);
        byUser.computeIfPresent(userId, (k, events) -> {
            copy.add(List.copyOf(events));
            return events;
        });
        return copy.isEmpty() ? List.of() : copy.get(0);
    }
}
