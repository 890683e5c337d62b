package dev.quota.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.account.AccountUsage;
import dev.quota.core.account.AccountUsageService;
import dev.quota.core.account.SessionStatus;
import dev.quota.core.account.SessionWindow;
import dev.quota.core.account.UpstreamAccount;
import dev.quota.core.account.UsageWindow;
import dev.quota.core.Money;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The "Account usage" example of the root README, compiled and run against a local provider. */
class ReadmeAccountUsageExampleTest {

    /** Stands in for the gateway's JdbcQuota of the README's quickstart. */
    private record Sql(UsageLog usageLog) {
    }

    /** Stands in for the gateway's own account records. */
    private interface Accounts {
        String accessToken(long accountId);
    }

    private final StubProvider provider = new StubProvider().answer(200, """
            {"five_hour": {"utilization": 35.0, "resets_at": "2025-03-10T10:00:00Z"},
             "seven_day": {"utilization": 61.0, "resets_at": "2025-03-13T00:00:00.000Z"}}
            """);

    @AfterEach
    void stopProvider() throws InterruptedException {
        provider.close();
    }

    @Test
    void theReadmeExampleCompilesAndAnswers() {
        MutableClock mutableClock = MutableClock.startingAt("2025-03-10T08:00:00Z");
        InMemoryQuota quota = InMemoryQuota.create(mutableClock);
        Clock clock = mutableClock;
        Sql sql = new Sql(quota.usageLog());
        Accounts accounts = id -> "token-" + id;
        URI providerUri = provider.baseUri();
        quota.usageLog().append(UsageEvent.builder("r1", 42).accountId(7).tokens(100, 20, 0, 0)
                .totalCost(Money.parse("0.01")).actualCost(Money.parse("0.01")).occurredAt(clock.instant()).build());
        Instant start = clock.instant().minus(Duration.ofHours(1));
        Instant end = start.plus(Duration.ofHours(5));
        String statusHeader = "allowed_warning";

        // --- README: Account usage ---
        HttpUpstreamUsageFetcher fetcher = HttpUpstreamUsageFetcher.builder()
            .baseUri(providerUri)                                  // e.g. https://api.anthropic.com; GET /api/oauth/usage
            .tokens(accounts::accessToken)                         // the account's current OAuth access token
            .build();
        AccountUsageService accountUsage = AccountUsageService.builder()
            .fetcher(fetcher).usageLog(sql.usageLog())             // the ledger the gate records into
            .clock(clock).zone(ZoneId.of("Asia/Shanghai"))         // the gate's clock and business zone
            .build();                                              // caches: provider 10 min, statistics 1 min

        AccountUsage usage = accountUsage.usage(UpstreamAccount.oauth(7));
        double fiveHourPercent = usage.fiveHour().utilizationPercent();                  // 35.0
        long secondsToReset = usage.fiveHour().remainingSeconds();                       // computed on every call
        long sentInWindow = usage.fiveHour().statistics().map(UsageTotals::requests).orElse(0L);
        double weekPercent = usage.sevenDay().map(UsageWindow::utilizationPercent).orElse(0.0); // when it has a reset

        AccountUsage estimated = accountUsage.usage(UpstreamAccount.setupToken(8)  // no usage endpoint: estimated
            .withSessionWindow(new SessionWindow(start, end, SessionStatus.fromText(statusHeader))));
        UsageTotals today = accountUsage.todayStatistics(7);  // [00:00, 24:00) in the business zone
        // --- end of README example ---

        assertThat(fiveHourPercent).isEqualTo(35.0);
        assertThat(secondsToReset).isEqualTo(7_200);
        assertThat(sentInWindow).isEqualTo(1);
        assertThat(weekPercent).isEqualTo(61.0);
        assertThat(estimated.fiveHour().utilizationPercent()).isEqualTo(80.0);
        assertThat(estimated.fiveHour().remainingSeconds()).isEqualTo(4 * 3_600);
        assertThat(today.requests()).isEqualTo(1);
    }
}
