package dev.quota.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.Load;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import org.junit.jupiter.api.Test;

/**
 * (b) redis-server paused with SIGSTOP mid-load: checks and records time out and fall back (records reach SQL
 * without the cache), then SIGCONT: the books are exact and no cached entry answers with the balance it held
 * before the pause.
 */
class RedisPausedFaultTest {

    private static final long[] USERS = {1, 2, 3, 4};

    @Test
    void redisPausedMidLoadThenResumedKeepsBooksExactAndNoStaleBalance() {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             Gateway gw = Gateway.settings(redis.port(), Scenario.h2Url()).redisTimeoutMillis(200).start()) {
            Scenario.running(gw, USERS); // what a stale cache would answer from
            Load load = Load.start(gw.gate(), "b", USERS, 4, 400, e -> { });

            load.awaitAcked(200, 60_000);
            // records during the pause: the cache cannot take them
            int duringPause = load.ackedThrough(redis::pause, 20, redis::resume);
            load.join();

            assertThat(load.unavailable()).as("records refused (SQL was up all along)").isZero();
            assertThat(duringPause).as("records acknowledged while Redis was paused").isGreaterThanOrEqualTo(20);
            Scenario.assertHealedBooks(gw, load.acked(), USERS);
        }
    }
}
