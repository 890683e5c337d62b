package dev.quota.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import dev.quota.core.QuotaTime;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuotaOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/** The stack on an embedded redis-server and private in-memory H2 databases: what it wires, and what it refuses. */
class QuotaStackTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    static Path redisDir;
    private static RedisServer server;
    private static RedisClient client;

    @BeforeAll
    static void startRedis() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("dir " + redisDir.toAbsolutePath()).build();
        server.start();
        client = RedisClient.create("127.0.0.1", port);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        client.close();
        server.stop();
    }

    private static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:stack" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static String newPrefix() {
        return "qstack" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    @Test
    void redisInFrontOfSqlChargesOnceAndStoresTheEventInSql() {
        String prefix = newPrefix();
        QuotaStack quota = QuotaStack.builder(h2())
                .time(QuotaTime.systemIn(SHANGHAI))
                .redis(client, RedisQuotaOptions.builder().keyPrefix(prefix).build())
                .installSchema(true)
                .build();
        BillingGate gate = quota.gate();
        gate.admin().credit(7, Money.parse("1.00"), "pay-1");
        assertThat(gate.check(CheckRequest.builder(7).build()).allowed()).isTrue();
        assertThat(client.keys(prefix + "*")).as("the check was answered through Redis").isNotEmpty();

        UsageEvent event = UsageEvent.builder("req-1", 7).totalCost(Money.parse("0.25")).occurredAt(Instant.now())
                .build();
        gate.record(event);
        gate.record(event); // a replay: charged once
        quota.close();

        assertThat(quota.sql().balances().find(7)).contains(Money.parse("0.75"));
        assertThat(quota.sql().usageLog().find(new UsageKey(7, "req-1"))).isPresent();
        assertThat(quota.redis()).isPresent();
    }

    @Test
    void everyPartSharesTheOneTime() {
        QuotaStack quota = QuotaStack.builder(h2()).time(QuotaTime.systemIn(SHANGHAI)).installSchema(true).build();
        try {
            assertThat(quota.time().zone()).isEqualTo(SHANGHAI);
            assertThat(quota.sql().zone()).isEqualTo(SHANGHAI);
        } finally {
            quota.close();
        }
    }

    @Test
    void withoutRedisTheGateAnswersFromSql() {
        QuotaStack quota = QuotaStack.builder(h2()).installSchema(true).build();
        try {
            assertThat(quota.redis()).isEmpty();
            BillingGate gate = quota.gate();
            assertThat(gate.check(CheckRequest.builder(9).build()).reason())
                    .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
            gate.admin().credit(9, Money.parse("2"), "pay-9");
            assertThat(gate.check(CheckRequest.builder(9).build()).allowed()).isTrue();
        } finally {
            quota.close();
        }
    }

    @Test
    void gateSettingsApplyAndAZoneThatDisagreesFailsTheBuild() {
        QuotaStack.Builder builder = QuotaStack.builder(h2()).time(QuotaTime.systemIn(SHANGHAI)).installSchema(true)
                .gate(g -> g.zone(ZoneId.of("UTC")));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("zone");

        QuotaStack simple = QuotaStack.builder(h2()).installSchema(true).gate(g -> g.simpleMode(true)).build();
        try {
            assertThat(simple.gate().check(CheckRequest.builder(1).build()).allowed())
                    .as("simple mode allows a user without balance").isTrue();
        } finally {
            simple.close();
        }
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        assertThatThrownBy(() -> QuotaStack.builder((DataSource) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataSource");
        QuotaStack.Builder builder = QuotaStack.builder(h2());
        assertThatThrownBy(() -> builder.tablePrefix("Bad-Prefix")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.redis(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.time(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.gate(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withoutTheSchemaInstalledTheTablePrefixIsTheOneTheSchemaWasInstalledWith() {
        JdbcDataSource ds = h2();
        QuotaStack first = QuotaStack.builder(ds).tablePrefix("app_quota_").installSchema(true).build();
        first.gate().admin().credit(3, Money.parse("5"), "pay-3");
        first.close();
        QuotaStack second = QuotaStack.builder(ds).tablePrefix("app_quota_").build();
        try {
            assertThat(second.sql().balances().find(3)).contains(Money.parse("5"));
            assertThat(second.sql().tablePrefix()).isEqualTo("app_quota_");
        } finally {
            second.close();
        }
    }

    @Test
    void aBuiltSqlAdapterLendsTheStackItsTimeAndRefusesSettingsOfItsOwn() {
        assertThatThrownBy(() -> QuotaStack.builder((JdbcQuota) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sql");
        JdbcQuota sql = JdbcQuota.builder(h2()).time(QuotaTime.systemIn(SHANGHAI)).tablePrefix("lent_").build();
        QuotaStack.Builder builder = QuotaStack.builder(sql).installSchema(true);
        assertThatThrownBy(() -> builder.time(QuotaTime.UTC)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JdbcQuota");
        assertThatThrownBy(() -> builder.tablePrefix("other_")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JdbcQuota");
        assertThatThrownBy(() -> QuotaStack.builder(sql).gate(g -> g.zone(ZoneId.of("UTC"))).build())
                .as("the gate runs on the adapter's zone").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zone");

        QuotaStack quota = builder.build();
        try {
            assertThat(quota.sql()).isSameAs(sql);
            assertThat(quota.time().zone()).isEqualTo(SHANGHAI);
            quota.gate().admin().credit(4, Money.parse("1"), "pay-4");
            assertThat(sql.balances().find(4)).contains(Money.parse("1"));
            assertThat(sql.tablePrefix()).isEqualTo("lent_");
        } finally {
            quota.close();
        }
    }
}
