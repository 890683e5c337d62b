package dev.quota.core.internal;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.UserDirectory;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsOverview;
import dev.quota.core.usage.StatsSummary;
import dev.quota.core.usage.UsageTotals;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StatsAggregator} implementation. Unsupported API: create it with {@link StatsAggregator#create}
 * or {@link StatsAggregator#builder}. Stateless apart from its collaborators; thread-safe.
 */
public final class DefaultStatsAggregator implements StatsAggregator {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStatsAggregator.class);

    private final StatisticsStore stats;
    private final Clock clock;
    private final ZoneId zone;
    private final UsageAggregates aggregates;
    private final UserDirectory directory;

    /**
     * @param stats the store to write to
     * @param clock the source of "now"
     * @param zone the business zone
     * @param aggregates how the ledger is aggregated
     * @param directory the user and API-key counts
     * @throws IllegalArgumentException if an argument is null
     */
    public DefaultStatsAggregator(StatisticsStore stats, Clock clock, ZoneId zone, UsageAggregates aggregates,
                                  UserDirectory directory) {
        this.stats = notNull(stats, "stats");
        this.clock = notNull(clock, "clock");
        this.zone = notNull(zone, "zone");
        this.aggregates = notNull(aggregates, "aggregates");
        this.directory = notNull(directory, "directory");
    }

    @Override
    public DailyStats aggregateDay(LocalDate date) {
        notNull(date, "date");
        if (date.isBefore(EARLIEST_DATE)) {
            throw new IllegalArgumentException("date must not be before " + EARLIEST_DATE + ": " + date);
        }
        LocalDate today = today();
        if (date.isAfter(today)) {
            throw new IllegalArgumentException("date must not be after today (" + today + "): " + date);
        }
        List<DailyStats> day = aggregate(date);
        stats.putAll(day);
        LOG.debug("statistics of {}: {} request(s) by {} user(s)", date, day.get(0).totals().requests(),
                day.size() - 1);
        if (date.isBefore(today) && stats.findSummary().isPresent()) {
            refresh(today);
        }
        return day.get(0);
    }

    @Override
    public StatsSummary refreshSummary() {
        return refresh(today());
    }

    private StatsSummary refresh(LocalDate today) {
        UsageTotals sum = UsageTotals.ZERO;
        long retried = 0;
        for (DailyStats d : stats.range(EARLIEST_DATE, today, null)) {
            sum = sum.plus(d.totals());
            retried = Math.addExact(retried, d.retriedRequests());
        }
        StatsSummary summary = new StatsSummary(today, sum, retried, directory.counts());
        stats.putSummary(summary);
        LOG.debug("statistics summary refreshed up to {}: {} request(s)", today, sum.requests());
        return summary;
    }

    @Override
    public StatsOverview summary() {
        LocalDate today = today();
        Optional<StatsSummary> stored = stats.findSummary();
        StatsSummary summary = stored.isPresent() && stored.get().cutoffDay().equals(today) ? stored.get()
                : refresh(today);
        return new StatsOverview(summary, aggregate(today).get(0));
    }

    @Override
    public int backfill() {
        return backfill(DEFAULT_BACKFILL_DAYS);
    }

    @Override
    public int backfill(int days) {
        if (days < 1 || days > MAX_BACKFILL_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_BACKFILL_DAYS + ": " + days);
        }
        LocalDate today = today();
        Optional<Instant> earliest = aggregates.earliest();
        if (earliest.isEmpty()) {
            LOG.info("statistics backfill: the ledger is empty, nothing to do");
            return 0;
        }
        LocalDate first = latest(today.minusDays(days), LocalDate.ofInstant(earliest.get(), zone), EARLIEST_DATE);
        Set<Long> seen = new TreeSet<>();
        int written = 0;
        for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
            List<DailyStats> day = new ArrayList<>(aggregate(d));
            Set<Long> active = new HashSet<>();
            for (DailyStats s : day) {
                if (s.userId() != null) {
                    active.add(s.userId());
                }
            }
            for (long user : seen) {
                if (!active.contains(user)) {
                    day.add(DailyStats.zero(d, user));
                }
            }
            stats.putAll(day);
            seen.addAll(active);
            written++;
        }
        refresh(today);
        LOG.info("statistics backfill from {} to {} (exclusive): {} day(s) written, {} user(s)", first, today,
                written, seen.size());
        return written;
    }

    private static LocalDate latest(LocalDate a, LocalDate b, LocalDate c) {
        LocalDate max = a.isAfter(b) ? a : b;
        return max.isAfter(c) ? max : c;
    }

    /** The day's global statistics, then one per active user. */
    private List<DailyStats> aggregate(LocalDate date) {
        // atStartOfDay(zone) is DST-correct: the day may be 23 or 25 hours, or start at 01:00 where midnight is skipped
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        List<DailyStats> day = aggregates.day(date, from, to);
        if (day.isEmpty() || day.get(0).userId() != null) {
            throw new IllegalStateException("UsageAggregates.day must return the global statistics first: " + day);
        }
        return day;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}
