package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.money.Money;
import dev.quota.demo.DemoReport.UserResult;
import dev.quota.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One simulated day of the demo gateway on embedded Redis + H2, checked end to end. */
class GatewayDemoTest {

    private static DemoEnvironment env;
    private static DemoReport report;

    @BeforeAll
    static void runOneDay() throws Exception {
        env = DemoEnvironment.start(MutableClock.startingAt("2026-11-15T16:00:00Z"));
        report = new SimulatedGateway(env, 1, 7).run();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void everyRecordedRequestIsInTheLedgerOnce() {
        assertThat(report.recordedRequests()).isPositive();
        assertThat(report.ledgerRows()).isEqualTo(report.recordedRequests());
        assertThat(report.outcomes().get("ALLOWED")).isEqualTo(report.recordedRequests());
    }

    @Test
    void redisAndSqlBalancesAgreeExactly() {
        for (UserResult u : report.users()) {
            if (u.sqlBalance() != null) {
                assertThat(u.redisBalance()).as(u.name()).isEqualTo(u.sqlBalance());
            }
        }
    }

    @Test
    void aCheckOnAWarmCacheIsOneRedisRoundTrip() {
        // Let the dirty markers of the run's last moments lapse (they expire by Redis's clock) without waiting.
        env.dropDirtyMarkers();
        for (SimulatedGateway.User u : SimulatedGateway.USERS) {
            env.gate().check(SimulatedGateway.request(u));
        }
        env.gate().flush();
        for (SimulatedGateway.User u : SimulatedGateway.USERS) {
            env.gate().check(SimulatedGateway.request(u));
        }
        env.redis().sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "RESETSTAT");
        int checks = 0;
        for (int i = 0; i < 10; i++) {
            for (SimulatedGateway.User u : SimulatedGateway.USERS) {
                env.gate().check(SimulatedGateway.request(u));
                checks++;
            }
        }
        String stats = env.redis().info("commandstats");
        assertThat(stats).contains("cmdstat_evalsha:calls=" + checks + ",");
        assertThat(stats).doesNotContain("cmdstat_eval:").doesNotContain("cmdstat_get:");
    }

    @Test
    void everyScriptCallWasACheckARecordOrARefill() {
        assertThat(report.redisScriptCalls()).isGreaterThanOrEqualTo(report.decisions() + report.recordedRequests());
    }

    @Test
    void theLimitsOfEveryPlanBite() {
        assertThat(report.outcomes()).containsKeys("USER_PLATFORM_DAILY_QUOTA_EXHAUSTED", "DAILY_LIMIT_EXCEEDED",
                "USER_RPM_EXCEEDED", "API_KEY_RATE_5H_EXCEEDED");
    }

    @Test
    void theSubscriberOverspendsTheDailyLimitByAtMostTheRequestsInFlight() {
        UserResult bob = report.users().get(1);
        Money cap = Money.ofNanos(SimulatedGateway.PRO_LIMITS.daily().cap());
        // four gateway workers, each with at most one checked-but-unrecorded request of at most 4199 input
        // and 1549 output tokens: 4 x (4199 x 0.000003 + 1549 x 0.000015) = 4 x 0.035832 USD
        Money bound = cap.plus(Money.parse("0.143328"));
        assertThat(bob.totals().actualCost()).isGreaterThanOrEqualTo(cap).isLessThanOrEqualTo(bound);
    }

    @Test
    void balancesAreChargedExactlyWhatTheLedgerSays() {
        UserResult alice = report.users().get(0);
        assertThat(alice.sqlBalance()).isEqualTo(dev.quota.core.money.Money.parse("20").minus(alice.totals().actualCost()));
    }
}
