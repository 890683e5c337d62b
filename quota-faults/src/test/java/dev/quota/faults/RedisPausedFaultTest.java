package dev.quota.faults;

import dev.quota.faults.support.Gateway;
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
            // records during the pause: the cache cannot take them
            Scenario.recordThroughRedisFault(gw, "b", 400, 200, redis::pause, 20, redis::resume, USERS);
        }
    }
}
