package dev.quota.testkit;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsSummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory {@link StatisticsStore}: one {@link DailyStats} per (date, user or global) and one
 * {@link StatsSummary}; writing replaces. Failures can be injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryStatisticsStore extends FaultInjectedFake implements StatisticsStore {

    /** {@code userId} null is the global statistics. */
    private record Key(LocalDate date, Long userId) {
    }

    private final Map<Key, DailyStats> days = new ConcurrentHashMap<>();
    private final AtomicReference<StatsSummary> summary = new AtomicReference<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemoryStatisticsStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryStatisticsStore(Faults faults) {
        super(faults);
    }

    @Override
    public void put(DailyStats stats) {
        Objects.requireNonNull(stats, "stats");
        faults.beforeCall("StatisticsStore.put");
        days.put(new Key(stats.date(), stats.userId()), stats);
    }

    @Override
    public Optional<DailyStats> find(LocalDate date, Long userId) {
        Objects.requireNonNull(date, "date");
        faults.beforeCall("StatisticsStore.find");
        return Optional.ofNullable(days.get(new Key(date, userId)));
    }

    @Override
    public List<DailyStats> range(LocalDate from, LocalDate to, Long userId) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        faults.beforeCall("StatisticsStore.range");
        List<DailyStats> out = new ArrayList<>();
        for (DailyStats d : days.values()) {
            if (Objects.equals(d.userId(), userId) && !d.date().isBefore(from) && d.date().isBefore(to)) {
                out.add(d);
            }
        }
        out.sort(Comparator.comparing(DailyStats::date));
        return out;
    }

    @Override
    public void putSummary(StatsSummary summary) {
        Objects.requireNonNull(summary, "summary");
        faults.beforeCall("StatisticsStore.putSummary");
        this.summary.set(summary);
    }

    @Override
    public Optional<StatsSummary> findSummary() {
        faults.beforeCall("StatisticsStore.findSummary");
        return Optional.ofNullable(summary.get());
    }

    /** Removes every day and the summary (does not count as a call and ignores injected faults). */
    public void clear() {
        days.clear();
        summary.set(null);
    }
}
