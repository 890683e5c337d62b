package dev.quota.testkit;

import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageTotals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory {@link UsageLog}: events by {@link UsageKey} (user and request id), idempotent (the first
 * event stored for a key wins), listed newest first with ties broken by request id. Failures can be injected through
 * {@link #faults()}; a failed {@link #appendAll} stores nothing.
 *
 * <p>Thread-safe: every operation runs under one lock, so a batch is stored atomically.
 */
public final class InMemoryUsageLog extends FaultInjectedFake implements UsageLog {

    /** Newest first, ties by request id, then user, ascending. */
    private static final Comparator<UsageEvent> ORDER = Comparator
            .comparing(UsageEvent::occurredAt, Comparator.reverseOrder())
            .thenComparing(UsageEvent::requestId)
            .thenComparingLong(UsageEvent::userId);

    private final Map<UsageKey, UsageEvent> events = new LinkedHashMap<>();

    /** Creates an empty log with its own {@link Faults}. */
    public InMemoryUsageLog() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty log.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryUsageLog(Faults faults) {
        super(faults);
    }

    @Override
    public boolean append(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        faults.beforeCall("UsageLog.append");
        synchronized (events) {
            return events.putIfAbsent(UsageKey.of(event), event) == null;
        }
    }

    @Override
    public int appendAll(Collection<UsageEvent> batch) {
        Batches.requireNoNulls(batch, "events");
        faults.beforeCall("UsageLog.appendAll");
        int stored = 0;
        synchronized (events) {
            for (UsageEvent e : batch) {
                if (events.putIfAbsent(UsageKey.of(e), e) == null) {
                    stored++;
                }
            }
        }
        return stored;
    }

    @Override
    public Optional<UsageEvent> find(UsageKey key) {
        Objects.requireNonNull(key, "key");
        faults.beforeCall("UsageLog.find");
        synchronized (events) {
            return Optional.ofNullable(events.get(key));
        }
    }

    @Override
    public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        faults.beforeCall("UsageLog.list");
        List<UsageEvent> matching = matching(filter);
        matching.sort(ORDER);
        int from = (int) Math.min(matching.size(), page.offset());
        int to = (int) Math.min(matching.size(), page.offset() + page.size());
        return new Page<>(matching.subList(from, to), page.page(), page.size(), matching.size());
    }

    @Override
    public UsageTotals totals(UsageFilter filter) {
        Objects.requireNonNull(filter, "filter");
        faults.beforeCall("UsageLog.totals");
        return UsageTotals.of(matching(filter));
    }

    /** The lock that makes a check-then-append atomic for {@link InMemoryUsageLedger}. */
    Object lock() {
        return events;
    }

    boolean containsQuietly(UsageKey key) {
        synchronized (events) {
            return events.containsKey(key);
        }
    }

    boolean appendQuietly(UsageEvent event) {
        synchronized (events) {
            return events.putIfAbsent(UsageKey.of(event), event) == null;
        }
    }

    /** @return every stored event in insertion order, for assertions (ignores injected faults) */
    public List<UsageEvent> all() {
        synchronized (events) {
            return List.copyOf(events.values());
        }
    }

    /** @return how many events are stored (ignores injected faults) */
    public int size() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Removes every event (does not count as a call and ignores injected faults). */
    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    private List<UsageEvent> matching(UsageFilter filter) {
        List<UsageEvent> out = new ArrayList<>();
        synchronized (events) {
            for (UsageEvent e : events.values()) {
                if (filter.matches(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
