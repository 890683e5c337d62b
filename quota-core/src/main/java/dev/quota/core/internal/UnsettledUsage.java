package dev.quota.core.internal;

import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per user, the usage events the gate handed to its usage sink that are not settled yet (stored, refused or
 * abandoned). While a user has some, the store may lack that usage: a store read of that user is answered
 * with them added, and no cache entry of that user is refilled from it. The record path calls
 * {@link #add} before the cache write, {@link #committing} when the sink starts the transaction that may
 * store the event, and {@link #settled} once the sink is done with it. Thread-safe; users without unsettled
 * usage have no entry.
 *
 * <p>Exact store reads: an event whose transaction has begun may already be in the store while it is still
 * unsettled here, so adding it to a store read could count it twice. A store read takes a {@link Mark} as it
 * begins and its caller a {@link View} once the read returned; the read is exact ({@link #exact}) when no
 * event of the user was committing at any time in between: then every unsettled event of the view is
 * missing from the read and every settled one is in it. Commits are tracked by a counter per stripe of users
 * (bumped by {@link #committing} and {@link #settled}), so a commit of another user of the same stripe can
 * make a read inexact too: that only costs a re-read.
 */
final class UnsettledUsage {

    private static final int STRIPES = 4096;

    private final ConcurrentHashMap<Long, UserUsage> byUser = new ConcurrentHashMap<>();
    private final AtomicLongArray epochs = new AtomicLongArray(STRIPES);
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object commitsDone = new Object();
    private final AtomicLong count = new AtomicLong();
    private final Clock clock;

    /** Tracks unsettled usage, timing it on the system clock. */
    UnsettledUsage() {
        this(Clock.systemUTC());
    }

    /** @param clock times how long events stay unsettled (see {@link #lag()}) */
    UnsettledUsage(Clock clock) {
        this.clock = clock;
    }

    /**
     * How far the sink is behind.
     *
     * @param events unsettled events
     * @param oldestAge how long the oldest of them has been unsettled, zero when none
     */
    record Lag(long events, Duration oldestAge) {
    }

    /** What a store read saw as it began: the user's stripe epoch and whether a commit of the user was running. */
    record Mark(long epoch, boolean committing) {
    }

    /**
     * The user's unsettled events after a store read returned, and the stripe epoch read after them.
     *
     * @param events the unsettled events, oldest first
     * @param epoch the user's stripe epoch
     */
    record View(List<UsageEvent> events, long epoch) {

        /** @return true when the user has no unsettled usage */
        boolean quiet() {
            return events.isEmpty();
        }
    }

    /** One user's unsettled events; guarded by the map's atomic methods. */
    private static final class UserUsage {
        final LinkedList<Entry> events = new LinkedList<>();
        int committing;
    }

    /** An unsettled event and whether its transaction has begun. */
    private static final class Entry {
        final UsageEvent event;
        final long addedAtMillis;
        boolean committing;

        Entry(UsageEvent event, long addedAtMillis) {
            this.event = event;
            this.addedAtMillis = addedAtMillis;
        }
    }

    /**
     * Notes an event as on its way to the store.
     * @param event the event
     */
    void add(UsageEvent event) {
        long now = clock.millis();
        count.incrementAndGet();
        byUser.compute(event.userId(), (k, usage) -> {
            UserUsage u = usage == null ? new UserUsage() : usage;
            u.events.addLast(new Entry(event, now)); // settled mostly in this order, so removal usually finds it at the head
            return u;
        });
    }

    /**
     * Notes that a transaction that may store the event has begun (it may be in the store from now on).
     * Called again for a retried transaction; an event that is not unsettled is ignored.
     * @param event the event
     */
    void committing(UsageEvent event) {
        byUser.computeIfPresent(event.userId(), (k, u) -> {
            for (Entry e : u.events) {
                if (!e.committing && e.event.equals(event)) {
                    e.committing = true;
                    u.committing++;
                    break;
                }
            }
            return u;
        });
        bump(event.userId()); // before the sink writes: a read that overlaps the write sees a changed epoch
    }

    /**
     * Notes that the sink is done with the event.
     * @param event the event
     */
    void settled(UsageEvent event) {
        boolean[] wasCommitting = new boolean[1];
        byUser.computeIfPresent(event.userId(), (k, u) -> {
            Entry found = null;
            for (Entry e : u.events) {
                if (e.event.equals(event) && (found == null || e.committing && !found.committing)) {
                    found = e;
                    if (e.committing) {
                        break;
                    }
                }
            }
            if (found != null) {
                removeEntry(u, found);
                count.decrementAndGet();
                wasCommitting[0] = found.committing;
            }
            return u.events.isEmpty() ? null : u;
        });
        bump(event.userId());
        if (wasCommitting[0] && waiters.get() > 0) {
            synchronized (commitsDone) {
                commitsDone.notifyAll();
            }
        }
    }

    private static void removeEntry(UserUsage u, Entry found) {
        Iterator<Entry> it = u.events.iterator();
        while (it.hasNext()) {
            if (it.next() == found) {
                it.remove();
                if (found.committing) {
                    u.committing--;
                }
                return;
            }
        }
    }

    /**
     * Counts the unsettled events and finds the oldest (a scan over the users that have some: for health
     * checks, not for the hot path).
     *
     * @return the lag now
     */
    Lag lag() {
        long[] oldest = {Long.MAX_VALUE};
        for (Long userId : byUser.keySet()) {
            byUser.computeIfPresent(userId, (k, u) -> {
                Entry head = u.events.peekFirst(); // added in time order; removals keep the order of the rest
                if (head != null) {
                    oldest[0] = Math.min(oldest[0], head.addedAtMillis);
                }
                return u;
            });
        }
        long events = Math.max(0, count.get());
        Duration age = oldest[0] == Long.MAX_VALUE ? Duration.ZERO
                : Duration.ofMillis(Math.max(0, clock.millis() - oldest[0]));
        return new Lag(events, age);
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
     * @return a copy of the user's unsettled events, oldest first, each request id once: an event handed over
     *     twice (the recovery drainer took this instance's own outbox entry while the writer still held it) is
     *     stored once, so it is counted once
     */
    List<UsageEvent> of(long userId) {
        Long user = userId;
        if (!byUser.containsKey(user)) {
            // the common case: nothing of the user is unsettled, and nothing is copied
            return List.of();
        }
        List<UsageEvent> copy = new ArrayList<>();
        byUser.computeIfPresent(user, (k, u) -> {
            Set<String> seen = new HashSet<>();
            u.events.forEach(e -> {
                if (seen.add(e.event.requestId())) {
                    copy.add(e.event);
                }
            });
            return u;
        });
        return List.copyOf(copy);
    }

    /**
     * Taken by a store read of the user just before it reads.
     * @param userId the user
     * @return the mark
     */
    Mark mark(long userId) {
        long epoch = epochs.get(stripe(userId)); // first: a commit beginning after this changes it
        return new Mark(epoch, committing(userId));
    }

    /**
     * Taken by the caller of a store read once the read returned.
     * @param userId the user
     * @return the user's unsettled events and the epoch after them
     */
    View view(long userId) {
        List<UsageEvent> events = of(userId);
        return new View(events, epochs.get(stripe(userId))); // last: a settle after the copy changes it
    }

    /**
     * @param mark taken as the store read began
     * @param view taken after it returned
     * @return true when no event of the user was committing in between, so that the read holds exactly the
     *     settled usage and lacks exactly the view's events
     */
    static boolean exact(Mark mark, View view) {
        return !mark.committing() && mark.epoch() == view.epoch();
    }

    /**
     * Waits until no event of the user is committing, at most until {@code deadlineNanos}.
     * @param userId the user
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return true when no commit of the user is running
     * @throws InterruptedException when interrupted
     */
    boolean awaitCommits(long userId, long deadlineNanos) throws InterruptedException {
        waiters.incrementAndGet();
        try {
            synchronized (commitsDone) {
                while (committing(userId)) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(commitsDone, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    private boolean committing(long userId) {
        boolean[] c = new boolean[1];
        byUser.computeIfPresent(userId, (k, v) -> {
            c[0] = v.committing > 0;
            return v;
        });
        return c[0];
    }

    private void bump(long userId) {
        epochs.incrementAndGet(stripe(userId));
    }

    private static int stripe(long userId) {
        long h = userId * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52) & (STRIPES - 1);
    }
}
