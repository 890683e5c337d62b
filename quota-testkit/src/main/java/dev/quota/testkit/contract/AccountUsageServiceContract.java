package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.testkit.ForwardingUsageLog;
import dev.quota.core.account.AccountUsage;
import dev.quota.core.account.AccountUsageService;
import dev.quota.core.account.SessionStatus;
import dev.quota.core.account.SessionWindow;
import dev.quota.core.account.UpstreamAccount;
import dev.quota.core.account.UpstreamAuthenticationException;
import dev.quota.core.account.UpstreamRateLimitedException;
import dev.quota.core.account.UsageNotSupportedException;
import dev.quota.core.account.UsageWindow;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.testkit.FakeUpstreamUsageFetcher;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observable behaviour of {@link AccountUsageService} on a given {@link UsageLog}: the provider's figures
 * cached 10 minutes and the window statistics 1 minute on a {@link MutableClock}, remaining seconds computed on
 * every call, one fetch for concurrent callers, which windows appear, the setup-token estimate, the "not
 * supported" error, statistics failures, today's statistics in the business zone (Asia/Shanghai, whose day
 * differs from the UTC day). The provider is a {@link FakeUpstreamUsageFetcher}. Extend it and implement
 * {@link #createUsageLog()}.
 */
public abstract class AccountUsageServiceContract {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** 16:00 in Shanghai on 10 March: the business day started at 2025-03-09T16:00:00Z. */
    private static final Instant T0 = at("2025-03-10T08:00:00Z");
    private static final long ACCOUNT = 7;
    private static final long OTHER_ACCOUNT = 8;
    private static final long USER = 42;

    private MutableClock clock;
    private FakeUpstreamUsageFetcher provider;
    private UsageLog log;
    private final AtomicBoolean statisticsFail = new AtomicBoolean();
    private int requestIds;

    /** Creates the contract; subclasses supply the usage log. */
    protected AccountUsageServiceContract() {
    }

    /**
     * Creates the usage log the service reads its statistics from. Called before every test; each call must
     * return a log that sees no events stored by earlier tests.
     *
     * @return an empty log
     */
    protected abstract UsageLog createUsageLog();

    @BeforeEach
    void createParts() {
        clock = MutableClock.at(T0);
        provider = new FakeUpstreamUsageFetcher();
        log = new StatisticsSwitch(createUsageLog(), statisticsFail);
    }

    private AccountUsageService.Builder service() {
        return AccountUsageService.builder().fetcher(provider).usageLog(log).clock(clock).zone(ZONE);
    }

    private void spend(long account, Instant when, long inputTokens, long outputTokens, String usd) {
        Money cost = usd(usd);
        log.append(UsageEvent.builder("r" + (++requestIds), USER).accountId(account).tokens(inputTokens, outputTokens, 0, 0)
                .totalCost(cost).actualCost(cost).occurredAt(when).build());
    }

    private static UsageTotals statisticsOf(AccountUsage usage) {
        return usage.fiveHour().statistics().orElseThrow(() -> new AssertionError("no window statistics"));
    }

    // --- caching on the injected clock ---------------------------------------------------------------------

    @Test
    void theProvidersFiguresAreServedFromTheCacheAt9m59sAndRefetchedAt10m() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofHours(3))));
        assertThat(service.usage(UpstreamAccount.oauth(ACCOUNT)).fiveHour().utilizationPercent()).isEqualTo(10.0);

        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 20.0, T0.plus(Duration.ofHours(3))));
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        AccountUsage cached = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(cached.fiveHour().utilizationPercent()).isEqualTo(10.0);
        assertThat(cached.updatedAt()).isEqualTo(T0);
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        AccountUsage fresh = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(fresh.fiveHour().utilizationPercent()).isEqualTo(20.0);
        assertThat(fresh.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(2);
    }

    @Test
    void windowStatisticsAreRefreshedAfterOneMinuteWhileTheProvidersFiguresAreStillCached() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofHours(3))));
        spend(ACCOUNT, T0.minus(Duration.ofHours(1)), 100, 50, "0.01");
        assertThat(statisticsOf(service.usage(UpstreamAccount.oauth(ACCOUNT))).requests()).isEqualTo(1);

        spend(ACCOUNT, T0.plusSeconds(30), 200, 0, "0.02");
        clock.advance(Duration.ofSeconds(59));
        assertThat(statisticsOf(service.usage(UpstreamAccount.oauth(ACCOUNT))).requests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        UsageTotals refreshed = statisticsOf(service.usage(UpstreamAccount.oauth(ACCOUNT)));
        assertThat(refreshed.requests()).isEqualTo(2);
        assertThat(refreshed.totalTokens()).isEqualTo(350);
        assertThat(refreshed.totalCost()).isEqualTo(usd("0.03"));
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(1);
    }

    @Test
    void remainingSecondsChangeBetweenTwoCallsWithoutARefetch() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofHours(2))),
                new UpstreamUsage(UpstreamUsage.SEVEN_DAY, 30.0, T0.plus(Duration.ofDays(3))));
        AccountUsage first = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(first.fiveHour().remainingSeconds()).isEqualTo(7_200);
        assertThat(first.sevenDay().map(UsageWindow::remainingSeconds)).contains(259_200L);

        clock.advance(Duration.ofSeconds(90).plusMillis(500));
        AccountUsage second = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(second.fiveHour().remainingSeconds()).isEqualTo(7_109); // 7,109.5 s, whole seconds rounded down
        assertThat(second.sevenDay().map(UsageWindow::remainingSeconds)).contains(259_109L);
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(1);
    }

    @Test
    void remainingSecondsAreZeroOnceTheResetTimeHasPassed() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofMinutes(2))));
        service.usage(UpstreamAccount.oauth(ACCOUNT));
        clock.advance(Duration.ofMinutes(3));
        assertThat(service.usage(UpstreamAccount.oauth(ACCOUNT)).fiveHour().remainingSeconds()).isZero();
    }

    @Test
    void sixteenConcurrentCallersShareOneFetch() throws Exception {
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofHours(3))));
        CountDownLatch firstFetchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fetches = new AtomicInteger();
        UpstreamUsageFetcher slowProvider = id -> {
            fetches.incrementAndGet();
            firstFetchStarted.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) { // safety bound, not a timing assertion
                    throw new AssertionError("fetch never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return provider.fetch(id);
        };
        AccountUsageService service = service().fetcher(slowProvider).build();
        List<Double> seen = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> callers = CompletableFuture.runAsync(() -> Race.run(16, 1,
                (thread, op) -> seen.add(service.usage(UpstreamAccount.oauth(ACCOUNT)).fiveHour().utilizationPercent())));
        assertThat(firstFetchStarted.await(60, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        callers.get(60, TimeUnit.SECONDS);

        assertThat(fetches.get()).isEqualTo(1);
        assertThat(seen).hasSize(16).containsOnly(10.0);
    }

    @Test
    void accountsAreCachedSeparately() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, null));
        provider.respond(OTHER_ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 90.0, null));
        assertThat(service.usage(UpstreamAccount.oauth(ACCOUNT)).fiveHour().utilizationPercent()).isEqualTo(10.0);
        assertThat(service.usage(UpstreamAccount.oauth(OTHER_ACCOUNT)).fiveHour().utilizationPercent()).isEqualTo(90.0);
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(1);
        assertThat(provider.fetches(OTHER_ACCOUNT)).isEqualTo(1);
    }

    @Test
    void theCacheIsBoundedAndTheOldestAccountLeavesFirst() {
        AccountUsageService service = service().maxCachedAccounts(2).build();
        for (long id = 1; id <= 3; id++) {
            service.usage(UpstreamAccount.oauth(id));
        }
        service.usage(UpstreamAccount.oauth(3));
        service.usage(UpstreamAccount.oauth(1));
        assertThat(provider.fetches(3)).isEqualTo(1);
        assertThat(provider.fetches(1)).isEqualTo(2);
    }

    @Test
    void aFailedFetchIsPassedOnAndNotCached() {
        AccountUsageService service = service().build();
        provider.failFor(ACCOUNT);
        assertThatThrownBy(() -> service.usage(UpstreamAccount.oauth(ACCOUNT)))
                .isInstanceOf(BackendUnavailableException.class);
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, null));
        assertThat(service.usage(UpstreamAccount.oauth(ACCOUNT)).fiveHour().utilizationPercent()).isEqualTo(10.0);
        assertThat(provider.fetches(ACCOUNT)).isEqualTo(2);
    }

    @Test
    void theProvidersOutcomesArePassedOnAsTheyAre() {
        AccountUsageService service = service().build();
        UpstreamAuthenticationException expired = new UpstreamAuthenticationException(ACCOUNT, 401, "token expired");
        provider.failFor(ACCOUNT, expired);
        assertThatThrownBy(() -> service.usage(UpstreamAccount.oauth(ACCOUNT))).isSameAs(expired);
        UpstreamRateLimitedException limited = new UpstreamRateLimitedException(ACCOUNT, Duration.ofSeconds(30), "429");
        provider.failFor(ACCOUNT, limited);
        assertThatThrownBy(() -> service.usage(UpstreamAccount.oauth(ACCOUNT))).isSameAs(limited);
    }

    // --- which windows appear ------------------------------------------------------------------------------

    @Test
    void theFiveHourWindowIsPresentEvenWithoutAResetTime() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 3.0, null));
        AccountUsage usage = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(usage.fiveHour().utilizationPercent()).isEqualTo(3.0);
        assertThat(usage.fiveHour().resetsAt()).isEmpty();
        assertThat(usage.fiveHour().remainingSeconds()).isZero();
        assertThat(usage.sevenDay()).isEmpty();
    }

    @Test
    void theFiveHourWindowIsPresentWhenTheProviderReportedNothing() {
        AccountUsage usage = service().build().usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(usage.fiveHour().utilizationPercent()).isZero();
        assertThat(usage.fiveHour().resetsAt()).isEmpty();
        assertThat(usage.sevenDay()).isEmpty();
        assertThat(usage.sevenDayByModelFamily()).isEmpty();
    }

    @Test
    void sevenDayWindowsAppearOnlyWhenTheProviderGaveAResetTime() {
        AccountUsageService service = service().build();
        Instant weekReset = T0.plus(Duration.ofDays(2));
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 10.0, T0.plus(Duration.ofHours(1))),
                new UpstreamUsage(UpstreamUsage.SEVEN_DAY, 30.0, weekReset),
                new UpstreamUsage(UpstreamUsage.sevenDayOf("sonnet"), 45.5, weekReset),
                new UpstreamUsage(UpstreamUsage.sevenDayOf("opus"), 5.0, null));
        AccountUsage usage = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(usage.sevenDay().map(UsageWindow::utilizationPercent)).contains(30.0);
        assertThat(usage.sevenDayByModelFamily()).containsOnlyKeys("sonnet");
        assertThat(usage.sevenDayByModelFamily().get("sonnet").utilizationPercent()).isEqualTo(45.5);
        assertThat(usage.sevenDayByModelFamily().get("sonnet").resetsAt()).contains(weekReset);

        provider.respond(OTHER_ACCOUNT, new UpstreamUsage(UpstreamUsage.SEVEN_DAY, 30.0, null));
        assertThat(service.usage(UpstreamAccount.oauth(OTHER_ACCOUNT)).sevenDay()).isEmpty();
    }

    @Test
    void anUnparsableResetTimeKeepsTheUtilizationAndDropsOnlyTheResetTime() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, UpstreamUsage.reported(UpstreamUsage.FIVE_HOUR, 55.0, "in a while"),
                UpstreamUsage.reported(UpstreamUsage.SEVEN_DAY, 40.0, "2025-13-45T99:00:00Z"));
        AccountUsage usage = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(usage.fiveHour().utilizationPercent()).isEqualTo(55.0);
        assertThat(usage.fiveHour().resetsAt()).isEmpty();
        assertThat(usage.sevenDay()).hasValueSatisfying(w -> {
            assertThat(w.utilizationPercent()).isEqualTo(40.0);
            assertThat(w.resetsAt()).isEmpty();
            assertThat(w.remainingSeconds()).isZero();
        });
    }

    // --- window statistics ---------------------------------------------------------------------------------

    @Test
    void windowStatisticsCountTheAccountsUsageSinceTheSessionWindowStart() {
        AccountUsageService service = service().build();
        Instant sessionStart = T0.minus(Duration.ofHours(2));
        spend(ACCOUNT, sessionStart.minusMillis(1), 1_000, 1_000, "1");    // before the window: out
        spend(ACCOUNT, sessionStart, 100, 20, "0.10");                     // at the start: in
        spend(ACCOUNT, T0.minusSeconds(60), 30, 5, "0.025");               // in
        spend(OTHER_ACCOUNT, T0.minusSeconds(60), 7, 7, "7");              // another account: out
        UpstreamAccount account = UpstreamAccount.oauth(ACCOUNT)
                .withSessionWindow(new SessionWindow(sessionStart, sessionStart.plus(Duration.ofHours(5)), SessionStatus.ALLOWED));

        UsageTotals stats = statisticsOf(service.usage(account));
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.totalTokens()).isEqualTo(155);
        assertThat(stats.totalCost()).isEqualTo(usd("0.125"));
        assertThat(stats.actualCost()).isEqualTo(usd("0.125"));
    }

    @Test
    void withoutASessionStartTheWindowStatisticsCoverTheLastFiveHours() {
        AccountUsageService service = service().build();
        spend(ACCOUNT, T0.minus(Duration.ofHours(5)).minusSeconds(1), 1_000, 0, "1"); // out
        spend(ACCOUNT, T0.minus(Duration.ofHours(5)), 10, 0, "0.001");                 // in
        spend(ACCOUNT, T0, 20, 0, "0.002");                                            // now: in
        UsageTotals stats = statisticsOf(service.usage(UpstreamAccount.oauth(ACCOUNT)));
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.totalTokens()).isEqualTo(30);
        assertThat(stats.totalCost()).isEqualTo(usd("0.003"));
    }

    @Test
    void windowStatisticsAreAttachedToTheFiveHourWindowOnly() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.SEVEN_DAY, 30.0, T0.plus(Duration.ofDays(1))));
        spend(ACCOUNT, T0.minusSeconds(10), 1, 1, "0.01");
        AccountUsage usage = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(statisticsOf(usage).requests()).isEqualTo(1);
        assertThat(usage.sevenDay()).hasValueSatisfying(w -> assertThat(w.statistics()).isEmpty());
    }

    @Test
    void aStatisticsFailureStillReturnsTheProvidersFiguresAndIsNotCached() {
        AccountUsageService service = service().build();
        provider.respond(ACCOUNT, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 12.0, T0.plus(Duration.ofHours(1))));
        spend(ACCOUNT, T0.minusSeconds(10), 1, 1, "0.01");
        statisticsFail.set(true);
        AccountUsage usage = service.usage(UpstreamAccount.oauth(ACCOUNT));
        assertThat(usage.fiveHour().utilizationPercent()).isEqualTo(12.0);
        assertThat(usage.fiveHour().remainingSeconds()).isEqualTo(3_600);
        assertThat(usage.fiveHour().statistics()).isEmpty();

        statisticsFail.set(false);
        assertThat(statisticsOf(service.usage(UpstreamAccount.oauth(ACCOUNT))).requests()).isEqualTo(1);
    }

    // --- account kinds -------------------------------------------------------------------------------------

    @Test
    void setupTokenAccountsAreEstimatedFromTheirSessionWindowStatus() {
        AccountUsageService service = service().build();
        Instant end = T0.plus(Duration.ofMinutes(90));
        spend(ACCOUNT, T0.minus(Duration.ofHours(1)), 10, 10, "0.5");
        assertThat(estimate(service, SessionStatus.REJECTED, end).utilizationPercent()).isEqualTo(100.0);
        assertThat(estimate(service, SessionStatus.ALLOWED_WARNING, end).utilizationPercent()).isEqualTo(80.0);
        assertThat(estimate(service, SessionStatus.ALLOWED, end).utilizationPercent()).isZero();
        UsageWindow unknown = estimate(service, SessionStatus.UNKNOWN, end);
        assertThat(unknown.utilizationPercent()).isZero();
        assertThat(unknown.resetsAt()).contains(end);
        assertThat(unknown.remainingSeconds()).isEqualTo(5_400);
        assertThat(unknown.statistics().map(UsageTotals::requests)).contains(1L);
        assertThat(provider.fetches(ACCOUNT)).isZero();
    }

    @Test
    void aSetupTokenWindowThatHasEndedHasZeroRemainingSecondsNeverNegative() {
        UsageWindow ended = estimate(service().build(), SessionStatus.REJECTED, T0.minus(Duration.ofMinutes(1)));
        assertThat(ended.remainingSeconds()).isZero();
        assertThat(ended.utilizationPercent()).isEqualTo(100.0);
    }

    @Test
    void aSetupTokenAccountWithoutASessionWindowReportsZeroAndNoSevenDayWindows() {
        AccountUsage usage = service().build().usage(UpstreamAccount.setupToken(ACCOUNT));
        assertThat(usage.fiveHour().utilizationPercent()).isZero();
        assertThat(usage.fiveHour().resetsAt()).isEmpty();
        assertThat(usage.fiveHour().remainingSeconds()).isZero();
        assertThat(usage.sevenDay()).isEmpty();
        assertThat(usage.sevenDayByModelFamily()).isEmpty();
        assertThat(usage.updatedAt()).isEqualTo(T0);
    }

    private UsageWindow estimate(AccountUsageService service, SessionStatus status, Instant end) {
        Instant start = end.minus(Duration.ofHours(5));
        UpstreamAccount account = UpstreamAccount.setupToken(ACCOUNT).withSessionWindow(new SessionWindow(start, end, status));
        AccountUsage usage = service.usage(account);
        assertThat(usage.sevenDay()).isEmpty();
        return usage.fiveHour();
    }

    @Test
    void apiKeyAccountsGetANotSupportedErrorAndNothingIsFetched() {
        AccountUsageService service = service().build();
        assertThatThrownBy(() -> service.usage(UpstreamAccount.apiKey(ACCOUNT)))
                .isInstanceOf(UsageNotSupportedException.class)
                .hasMessageContaining("account 7")
                .hasMessageContaining("API_KEY");
        assertThat(provider.fetches(ACCOUNT)).isZero();
    }

    @Test
    void aNullAccountIsRejected() {
        assertThatThrownBy(() -> service().build().usage(null)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- today ---------------------------------------------------------------------------------------------

    @Test
    void todaysStatisticsCoverTheBusinessDayInTheZoneNotTheUtcDay() {
        AccountUsageService service = service().build();
        spend(ACCOUNT, at("2025-03-09T15:59:59Z"), 1_000, 0, "1");   // 23:59:59 on the 9th in Shanghai: out
        spend(ACCOUNT, at("2025-03-09T16:00:00Z"), 100, 10, "0.20"); // 00:00 on the 10th in Shanghai: in
        spend(ACCOUNT, at("2025-03-10T07:59:00Z"), 50, 5, "0.05");   // in
        spend(OTHER_ACCOUNT, at("2025-03-10T07:00:00Z"), 9, 9, "9"); // another account: out
        UsageTotals today = service.todayStatistics(ACCOUNT);
        assertThat(today.requests()).isEqualTo(2);
        assertThat(today.totalTokens()).isEqualTo(165);
        assertThat(today.totalCost()).isEqualTo(usd("0.25"));
        assertThat(service.todayStatistics(99)).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void todaysStatisticsMoveToTheNextBusinessDayAtLocalMidnight() {
        AccountUsageService service = service().build();
        spend(ACCOUNT, at("2025-03-10T15:00:00Z"), 10, 0, "0.01"); // 23:00 on the 10th in Shanghai
        clock.set(at("2025-03-10T15:59:59Z"));
        assertThat(service.todayStatistics(ACCOUNT).requests()).isEqualTo(1);
        clock.set(at("2025-03-10T16:00:00Z"));
        assertThat(service.todayStatistics(ACCOUNT).requests()).isZero();
    }

    /** The log under test, whose {@code totals} can be made to fail like an unreachable database. */
    private static final class StatisticsSwitch extends ForwardingUsageLog {
        private final AtomicBoolean fail;

        StatisticsSwitch(UsageLog delegate, AtomicBoolean fail) {
            super(delegate);
            this.fail = fail;
        }

        @Override
        public UsageTotals totals(UsageFilter filter) {
            if (fail.get()) {
                throw new BackendUnavailableException("usage log unavailable (switched off by the test)");
            }
            return super.totals(filter);
        }
    }
}
