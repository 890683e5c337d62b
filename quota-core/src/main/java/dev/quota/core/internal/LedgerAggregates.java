package dev.quota.core.internal;

import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link UsageAggregates} over any {@link UsageLog}: one paged pass over the day's events, counted in Java
 * (memory: one tally per active user). Unsupported API: use {@link UsageAggregates#over}. Thread-safe.
 */
public final class LedgerAggregates implements UsageAggregates {

    private final UsageLog log;

    /**
     * @param log the ledger
     * @throws IllegalArgumentException if it is null
     */
    public LedgerAggregates(UsageLog log) {
        this.log = DefaultStatsAggregator.notNull(log, "log");
    }

    @Override
    public List<DailyStats> day(LocalDate date, Instant from, Instant to) {
        DefaultStatsAggregator.notNull(date, "date");
        DefaultStatsAggregator.notNull(from, "from");
        DefaultStatsAggregator.notNull(to, "to");
        DailyStats.Tally global = new DailyStats.Tally();
        Map<Long, DailyStats.Tally> users = new TreeMap<>();
        LedgerScan.forEach(log, UsageFilter.all().between(from, to), e -> {
            global.add(e);
            users.computeIfAbsent(e.userId(), u -> new DailyStats.Tally()).add(e);
        });
        List<DailyStats> out = new ArrayList<>(users.size() + 1);
        out.add(global.toStats(date, null));
        users.forEach((user, t) -> out.add(t.toStats(date, user)));
        return out;
    }

    @Override
    public Optional<Instant> earliest() {
        // listings are newest first: the oldest event is the last one
        long total = log.list(UsageFilter.all(), PageRequest.of(1, 1)).total();
        if (total == 0) {
            return Optional.empty();
        }
        int last = (int) Math.min(total, Integer.MAX_VALUE);
        Page<UsageEvent> page = log.list(UsageFilter.all(), PageRequest.of(last, 1));
        return page.items().stream().map(UsageEvent::occurredAt).findFirst();
    }
}
