package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.Health;
import dev.quota.core.Health.Status;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** {@link BillingGate#health()} and the adapters' {@code ping()} on embedded Redis + H2, with Redis stopped. */
class HealthOnRedisAndH2Test {

    private static final long USER = 3;

    private DemoEnvironment env;

    @BeforeEach
    void start() {
        env = DemoEnvironment.start(MutableClock.startingAt("2026-11-27T02:00:00Z"));
        env.sql().balances().set(USER, Money.parse("5"));
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void redisAndH2AnsweringIsUp() {
        env.cache().ping();
        env.sql().ping();
        Health h = env.gate().health();
        assertThat(h.status()).isEqualTo(Status.UP);
        assertThat(h.cache()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
        assertThat(h.stores()).isEqualTo(new Health.Component(Status.UP, true, "ok"));
    }

    @Test
    void aStoppedRedisServerDegradesTheGateWhileChecksRunOnSql() {
        env.stopRedis();

        assertThatThrownBy(() -> env.cache().ping()).isInstanceOf(BackendUnavailableException.class);
        Health h = env.gate().health();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.cache().status()).isEqualTo(Status.DOWN);
        assertThat(h.cache().detail()).contains("Redis PING failed");
        assertThat(h.stores().up()).isTrue();
        assertThat(env.gate().check(CheckRequest.builder(USER).build()).allowed()).isTrue();
    }

    @Test
    void aWrongRedisPortIsVisibleInHealthNotSilentlyBypassed() throws IOException {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        try (RedisClient wrong = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", unused)).build();
             BillingGate gate = BillingGate.builder().cache(RedisQuota.create(wrong).billingCache())
                     .balances(env.sql().balances()).subscriptions(env.sql().subscriptions())
                     .usageSink(env.sql().usageWriter().build()).zone(DemoEnvironment.ZONE).build()) {
            Health h = gate.health();
            assertThat(h.status()).isEqualTo(Status.DEGRADED);
            assertThat(h.cache().status()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void aDatabaseWithoutTheSchemaFailsItsPingAndTakesTheGateDown() {
        JdbcQuota noSchema = JdbcQuota.builder(env.sql().jdbi()).dialect(Dialect.H2).tablePrefix("missing_").build();
        InMemoryQuota memory = InMemoryQuota.create(MutableClock.startingAt("2026-11-27T02:00:00Z"));
        assertThatThrownBy(noSchema::ping).isInstanceOf(BackendUnavailableException.class);
        try (BillingGate gate = BillingGate.builder().balances(noSchema.balances())
                .subscriptions(noSchema.subscriptions()).usageSink(memory.usageSink()).zone(memory.zone()).build()) {
            Health h = gate.health();
            assertThat(h.status()).isEqualTo(Status.DOWN);
            assertThat(h.stores().detail()).contains("ping failed");
        }
    }
}
