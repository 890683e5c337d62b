package dev.quota.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.Load;
import dev.quota.faults.support.PostgresCluster;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import org.junit.jupiter.api.Test;

/**
 * (c) a private PostgreSQL cluster stopped in immediate mode mid-load and restarted: every acknowledged record
 * is stored exactly once (the writer keeps and retries what it holds; the outbox keeps the second copy),
 * balances exact, cache = SQL after healing.
 */
class PostgresStoppedFaultTest {

    private static final long[] USERS = {1, 2, 3, 4};

    @Test
    void postgresStoppedImmediatelyMidLoadThenRestartedKeepsBooksExact() {
        try (PostgresCluster pg = PostgresCluster.start();
             RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             Gateway gw = Gateway.settings(redis.port(), pg.jdbcUrl()).start()) {
            Scenario.running(gw, USERS);
            Load load = Load.start(gw.gate(), "c", USERS, 4, 2_000, e -> { }); // long enough to outlast the stop

            load.awaitAcked(400, 60_000);
            // Redis takes usage while SQL is down
            int duringOutage = load.ackedThrough(pg::stopImmediate, 100, pg::restart);
            load.join();

            assertThat(duringOutage).as("records acknowledged while PostgreSQL was down").isGreaterThanOrEqualTo(100);
            Scenario.assertHealedBooks(gw, load.acked(), USERS);
        }
    }
}
