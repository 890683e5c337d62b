package dev.quota.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.faults.support.ChildGatewayProcess;
import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.PostgresCluster;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The process helpers do what the scenarios rely on: a redis-server killed with SIGKILL comes back empty (or
 * from its AOF), a paused one answers nothing until resumed, a PostgreSQL cluster stopped in immediate mode
 * keeps what it committed, and a child gateway JVM dies with SIGKILL.
 */
class ProcessHelpersTest {

    @Test
    void redisKilledWithSigkillRestartsEmptyOnTheSamePort() {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE)) {
            long firstPid = redis.pid();
            try (RedisClient c = redis.client()) {
                c.set("k", "v");
            }
            redis.kill();
            assertThat(redis.alive()).isFalse();
            try (RedisClient c = redis.client()) {
                assertThatThrownBy(c::ping).isInstanceOf(JedisConnectionException.class);
            }
            redis.restart();
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            try (RedisClient c = redis.client()) {
                assertThat(c.get("k")).isNull();
                assertThat(c.dbSize()).isZero();
            }
        }
    }

    @Test
    void redisWithAofRestartsWithWhatItAcknowledged() {
        // Redis writes the AOF buffer to the file before it replies, so a SIGKILL of the process (not of the
        // machine) loses nothing it acknowledged; the everysec fsync matters for power loss only
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.AOF_EVERYSEC)) {
            try (RedisClient c = redis.client()) {
                c.set("k", "v");
            }
            redis.kill();
            redis.restart();
            try (RedisClient c = redis.client()) {
                assertThat(c.get("k")).isEqualTo("v");
            }
        }
    }

    @Test
    void pausedRedisTimesOutUntilResumed() {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE); RedisClient c = redis.client(200)) {
            c.set("k", "v");
            redis.pause();
            assertThatThrownBy(() -> c.get("k")).isInstanceOf(JedisConnectionException.class);
            redis.resume();
            assertThat(c.get("k")).isEqualTo("v");
        }
    }

    @Test
    void postgresStoppedInImmediateModeKeepsCommittedRowsAfterRestart() throws SQLException {
        try (PostgresCluster pg = PostgresCluster.start()) {
            pg.execute("CREATE TABLE t (v INT)");
            pg.execute("INSERT INTO t VALUES (42)");
            pg.stopImmediate();
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl())).isInstanceOf(SQLException.class);
            pg.restart();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void childGatewayAcknowledgesRecordsAndDiesWithSigkill() {
        String prefix = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             PostgresCluster pg = PostgresCluster.start()) {
            try (Gateway setup = Gateway.settings(redis.port(), pg.jdbcUrl()).tablePrefix(prefix).start()) {
                setup.installSchema();
                setup.sql().balances().set(1, Money.ofUnits(1000));
            }
            try (ChildGatewayProcess child = ChildGatewayProcess.start(redis.port(), pg.jdbcUrl(), prefix, "child",
                    "run", "1", 1, 1_000_000, 20)) {
                child.awaitAcked(20, 60_000);
                child.kill();
                int acked = child.acked().size();
                assertThat(child.done()).isFalse();
                assertThat(acked).isGreaterThanOrEqualTo(20);
                assertThat(child.acked()).hasSize(acked); // nothing more arrives from a dead child
            }
        }
    }
}
