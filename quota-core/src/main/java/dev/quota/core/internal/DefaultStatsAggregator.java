package dev.quota.core.internal;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StatsAggregator} implementation. Unsupported API: create it with
 * {@link StatsAggregator#create}. Stateless apart from its collaborators; thread-safe.
 */
public final class DefaultStatsAggregator implements StatsAggregator {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultStatsAggregator.class);

    private final UsageLog log;
    private final StatisticsStore stats;
    private final Clock clock;
    private final ZoneId zone;

    /**
     * @param log the usage ledger to read
     * @param stats the store to write to
     * @param clock the source of "now"
     * @param zone the business zone
     * @throws IllegalArgumentException if an argument is null
     */
    public DefaultStatsAggregator(UsageLog log, StatisticsStore stats, Clock clock, ZoneId zone) {
        this.log = notNull(log, "log");
        this.stats = notNull(stats, "stats");
        this.clock = notNull(clock, "clock");
        this.zone = notNull(zone, "zone");
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
        UsageFilter day = dayFilter(date);
        return store(date, day, log.totals(day));
    }

    @Override
    public UsageTotals summary() {
        LocalDate today = today();
        UsageTotals sum = UsageTotals.ZERO;
        for (DailyStats d : stats.range(EARLIEST_DATE, today, null)) {
            sum = sum.plus(d.totals());
        }
        return sum.plus(log.totals(dayFilter(today)));
    }

    @Override
    public int backfill(int days) {
        if (days < 1 || days > MAX_BACKFILL_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_BACKFILL_DAYS + ": " + days);
        }
        LocalDate today = today();
        LocalDate first = today.minusDays(days);
        if (first.isBefore(EARLIEST_DATE)) {
            first = EARLIEST_DATE;
        }
        int aggregated = 0;
        for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
            UsageFilter day = dayFilter(d);
            UsageTotals totals = log.totals(day);
            if (totals.requests() == 0) {
                continue;
            }
            store(d, day, totals);
            aggregated++;
        }
        LOG.info("statistics backfill from {} to {} (exclusive): {} day(s) with usage aggregated", first, today,
                aggregated);
        return aggregated;
    }

    /** Stores the global day, then every active user's day; returns the global one. */
    private DailyStats store(LocalDate date, UsageFilter day, UsageTotals totals) {
        DailyStats global = new DailyStats(date, null, totals);
        stats.put(global);
        if (totals.requests() == 0) {
            LOG.debug("statistics of {}: no usage", date);
            return global;
        }
        Set<Long> users = new TreeSet<>();
        LedgerScan.forEach(log, day, e -> users.add(e.userId()));
        for (long user : users) {
            stats.put(new DailyStats(date, user, log.totals(day.withUser(user))));
        }
        LOG.debug("statistics of {}: {} request(s) by {} user(s)", date, totals.requests(), users.size());
        return global;
    }

    private UsageFilter dayFilter(LocalDate date) {
        // atStartOfDay(zone) is DST-correct: the day may be 23 or 25 hours, or start at 01:00 where midnight is skipped
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        return UsageFilter.all().between(from, to);
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
