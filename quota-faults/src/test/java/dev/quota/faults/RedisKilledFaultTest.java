package dev.quota.faults;

import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import org.junit.jupiter.api.Test;

/**
 * (a) redis-server killed with SIGKILL mid-load and restarted empty: every acknowledged record is in SQL
 * exactly once, balances are exact, and after the writers drained every cached balance equals SQL or is
 * absent.
 */
class RedisKilledFaultTest {

    private static final long[] USERS = {1, 2, 3, 4};

    @Test
    void redisKilledAndRestartedEmptyMidLoadLosesNoAcknowledgedRecord() {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             Gateway gw = Gateway.settings(redis.port(), Scenario.h2Url()).start()) {
            Scenario.running(gw, USERS);
            // records go on while Redis is gone
            Scenario.recordThroughRedisFault(gw, "a", 600, 400, redis::kill, 200, redis::restart, USERS);
        }
    }
}
