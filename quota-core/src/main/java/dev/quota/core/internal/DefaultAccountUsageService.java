package dev.quota.core.internal;

import dev.quota.core.account.AccountKind;
import dev.quota.core.account.AccountUsage;
import dev.quota.core.account.AccountUsageService;
import dev.quota.core.account.SessionWindow;
import dev.quota.core.account.UpstreamAccount;
import dev.quota.core.account.UsageNotSupportedException;
import dev.quota.core.account.UsageWindow;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.core.window.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AccountUsageService}: two bounded caches on the injected clock (the provider's figures, the window
 * statistics) and one fetch per account at a time. The answer is rebuilt from the cached figures on every call,
 * so remaining seconds are always computed from the current time. Thread-safe.
 */
public final class DefaultAccountUsageService implements AccountUsageService {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultAccountUsageService.class);
    /** The statistics window when the session window's start is unknown. */
    static final Duration DEFAULT_STATISTICS_WINDOW = Duration.ofHours(5);

    private final UpstreamUsageFetcher fetcher;
    private final UsageLog usageLog;
    private final Clock clock;
    private final ZoneId zone;
    private final ExpiringCache<Long, List<UpstreamUsage>> upstream;
    private final ExpiringCache<Long, UsageTotals> statistics;
    private final SingleFlight<Long> fetches;

    /** A fetch failure handed from the caller that fetched to the callers that waited for it. */
    private record Failed(RuntimeException failure) {
    }

    /**
     * Built by {@link AccountUsageService.Builder}, which validates every argument.
     *
     * @param fetcher the provider's usage endpoint
     * @param usageLog the ledger the statistics come from
     * @param clock the source of "now"
     * @param zone the business zone
     * @param upstreamTtl how long the provider's figures are cached
     * @param statisticsTtl how long the window statistics are cached
     * @param maxCachedAccounts the bound of each cache
     * @param fetchWait how long a caller waits for another caller's fetch
     */
    public DefaultAccountUsageService(UpstreamUsageFetcher fetcher, UsageLog usageLog, Clock clock, ZoneId zone,
                                      Duration upstreamTtl, Duration statisticsTtl, int maxCachedAccounts,
                                      Duration fetchWait) {
        this.fetcher = fetcher;
        this.usageLog = usageLog;
        this.clock = clock;
        this.zone = zone;
        this.upstream = new ExpiringCache<>(clock, upstreamTtl, maxCachedAccounts);
        this.statistics = new ExpiringCache<>(clock, statisticsTtl, maxCachedAccounts);
        // The first caller fetches on its own thread; the others wait for its result (bounded by fetchWait).
        this.fetches = new SingleFlight<>(Runnable::run, fetchWait);
    }

    @Override
    public AccountUsage usage(UpstreamAccount account) {
        if (account == null) {
            throw new IllegalArgumentException("account must not be null");
        }
        if (!account.kind().reportsUsage()) {
            throw new UsageNotSupportedException(account.id(), account.kind());
        }
        AccountUsage answer;
        if (account.kind() == AccountKind.OAUTH) {
            ExpiringCache.Entry<List<UpstreamUsage>> figures = providerFigures(account.id());
            answer = fromProvider(account.id(), figures.value(), figures.storedAt(), clock.instant());
        } else {
            answer = estimate(account, clock.instant());
        }
        Optional<UsageTotals> stats = windowStatistics(account, clock.instant());
        if (stats.isEmpty()) {
            return answer;
        }
        return new AccountUsage(answer.accountId(), answer.updatedAt(), answer.fiveHour().withStatistics(stats.get()),
                answer.sevenDay(), answer.sevenDayByModelFamily());
    }

    @Override
    public UsageTotals todayStatistics(long accountId) {
        Instant now = clock.instant();
        Instant from = Window.Calendar.DAY.periodStart(now, zone);
        Instant to = Window.Calendar.DAY.nextReset(from, now, zone);
        return usageLog.totals(UsageFilter.all().withAccount(accountId).between(from, to));
    }

    private ExpiringCache.Entry<List<UpstreamUsage>> providerFigures(long accountId) {
        Optional<ExpiringCache.Entry<List<UpstreamUsage>>> cached = upstream.get(accountId);
        if (cached.isPresent()) {
            return cached.get();
        }
        Object result = fetches.load(accountId, () -> {
            // Looked up again inside the flight: a caller that missed the cache just before another caller's
            // fetch finished must not fetch a second time.
            Optional<ExpiringCache.Entry<List<UpstreamUsage>>> again = upstream.get(accountId);
            if (again.isPresent()) {
                return again.get();
            }
            try {
                List<UpstreamUsage> windows = Objects.requireNonNull(fetcher.fetch(accountId), "fetcher returned null");
                return upstream.put(accountId, List.copyOf(windows));
            } catch (RuntimeException e) {
                return new Failed(e); // passed to every waiting caller as it is (not wrapped), and never cached
            }
        });
        if (result instanceof Failed failed) {
            throw failed.failure();
        }
        @SuppressWarnings("unchecked")
        ExpiringCache.Entry<List<UpstreamUsage>> entry = (ExpiringCache.Entry<List<UpstreamUsage>>) result;
        return entry;
    }

    private static AccountUsage fromProvider(long accountId, List<UpstreamUsage> windows, Instant fetchedAt,
                                             Instant now) {
        UsageWindow fiveHour = UsageWindow.at(0.0, null, now);
        Optional<UsageWindow> sevenDay = Optional.empty();
        Map<String, UsageWindow> families = new LinkedHashMap<>();
        boolean fiveHourSeen = false;
        for (UpstreamUsage w : windows) {
            UsageWindow window = UsageWindow.at(w.utilizationPercent(), w.resetsAt(), now);
            if (w.window().equals(UpstreamUsage.FIVE_HOUR) && !fiveHourSeen) {
                fiveHour = window; // always present, with or without a reset time
                fiveHourSeen = true;
            } else if (!w.resetReported()) {
                continue; // a 7-day window the provider gave no reset time for is not active: left out
            } else if (w.window().equals(UpstreamUsage.SEVEN_DAY) && sevenDay.isEmpty()) {
                sevenDay = Optional.of(window);
            } else {
                w.modelFamily().ifPresent(family -> families.putIfAbsent(family, window));
            }
        }
        return new AccountUsage(accountId, fetchedAt, fiveHour, sevenDay, families);
    }

    private static AccountUsage estimate(UpstreamAccount account, Instant now) {
        SessionWindow session = account.sessionWindow();
        UsageWindow fiveHour = session.end() == null
                ? UsageWindow.at(0.0, null, now)
                : UsageWindow.at(session.status().estimatedUtilizationPercent(), session.end(), now);
        return new AccountUsage(account.id(), now, fiveHour, Optional.empty(), Map.of());
    }

    private Optional<UsageTotals> windowStatistics(UpstreamAccount account, Instant now) {
        Optional<ExpiringCache.Entry<UsageTotals>> cached = statistics.get(account.id());
        if (cached.isPresent()) {
            return Optional.of(cached.get().value());
        }
        Instant from = account.sessionWindow().startTime().orElse(now.minus(DEFAULT_STATISTICS_WINDOW));
        try {
            // open-ended: usage recorded at this very instant belongs to the window too
            UsageTotals totals = usageLog.totals(UsageFilter.all().withAccount(account.id()).between(from, null));
            statistics.put(account.id(), totals);
            return Optional.of(totals);
        } catch (RuntimeException e) {
            LOG.warn("window statistics of account {} since {} unavailable; answering without them", account.id(),
                    from, e);
            return Optional.empty();
        }
    }
}
