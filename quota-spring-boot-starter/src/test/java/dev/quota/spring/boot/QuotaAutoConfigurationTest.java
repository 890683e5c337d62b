package dev.quota.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.jdbc.JdbcQuota;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.RedisServer;

/** The starter on embedded Redis and H2, through {@link ApplicationContextRunner}. */
class QuotaAutoConfigurationTest {

    private static final long USER = 11;

    @TempDir
    static Path redisDir; // JUnit deletes it after the class
    private static RedisServer redis;
    private static int redisPort;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QuotaAutoConfiguration.class, QuotaHealthAutoConfiguration.class))
            .withUserConfiguration(H2.class)
            .withPropertyValues("quota.jdbc.install-schema=true", "quota.zone=Asia/Shanghai",
                    "quota.redis.key-prefix=qboot" + UUID.randomUUID().toString().substring(0, 8));

    @BeforeAll
    static void startRedis() throws IOException {
        redisPort = freePort();
        redis = startedRedis(redisPort, redisDir);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
    }

    @Test
    void theContextStartsWithPropertiesOnlyAndTheGateChecks() {
        runner.withPropertyValues("quota.redis.url=redis://127.0.0.1:" + redisPort).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BillingGate.class).hasSingleBean(UnifiedJedis.class)
                    .hasSingleBean(QuotaHealthIndicator.class);
            context.getBean(JdbcQuota.class).balances().set(USER, Money.parse("5"));
            assertThat(context.getBean(BillingGate.class).check(CheckRequest.builder(USER).build()).allowed()).isTrue();
            assertThat(context.getBean(JdbcQuota.class).zone().getId()).isEqualTo("Asia/Shanghai");
            Health health = context.getBean(QuotaHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("gate", "UP");
        });
    }

    @Test
    void anExistingUnifiedJedisIsUsed() {
        runner.withUserConfiguration(OwnJedis.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UnifiedJedis.class)).isSameAs(context.getBean(OwnJedis.class).client);
            @SuppressWarnings("unchecked")
            Map<String, Object> cache = (Map<String, Object>) context.getBean(QuotaHealthIndicator.class).health()
                    .getDetails().get("cache");
            assertThat(cache).containsEntry("probed", true).containsEntry("status", "UP");
        });
    }

    @Test
    void withoutRedisTheGateRunsOnSqlAlone() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(UnifiedJedis.class);
            context.getBean(JdbcQuota.class).balances().set(USER, Money.parse("1"));
            assertThat(context.getBean(BillingGate.class).check(CheckRequest.builder(USER).build()).allowed()).isTrue();
            assertThat(context.getBean(BillingGate.class).health().cache().detail()).isEqualTo("not configured");
        });
    }

    @Test
    void healthIsDownWhenRedisIsDown(@TempDir Path dir) throws IOException {
        int port = freePort();
        RedisServer doomed = startedRedis(port, dir);
        runner.withPropertyValues("quota.redis.url=redis://127.0.0.1:" + port).run(context -> {
            QuotaHealthIndicator indicator = context.getBean(QuotaHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            doomed.stop();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("gate", "DEGRADED");
        });
    }

    @Test
    void theDegradedStatusIsConfigurable() {
        int unused = freePort();
        runner.withPropertyValues("quota.redis.url=redis://127.0.0.1:" + unused,
                "quota.health.degraded-status=OUT_OF_SERVICE").run(context ->
                assertThat(context.getBean(QuotaHealthIndicator.class).health().getStatus())
                        .isEqualTo(Status.OUT_OF_SERVICE));
    }

    @Test
    void metersArePresentAfterOneCheck() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues("quota.redis.url=redis://127.0.0.1:" + redisPort).run(context -> {
                    context.getBean(JdbcQuota.class).balances().set(USER, Money.parse("5"));
                    context.getBean(BillingGate.class).check(CheckRequest.builder(USER).build());
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("quota.decisions").tags("outcome", "allowed").counter().count())
                            .isEqualTo(1);
                    assertThat(registry.get("quota.breaker.state").tags("state", "closed").gauge().value())
                            .isEqualTo(1);
                });
    }

    @Test
    void theGateIsClosedWithTheContext() {
        BillingGate[] gate = new BillingGate[1];
        runner.withPropertyValues("quota.redis.url=redis://127.0.0.1:" + redisPort)
                .run(context -> gate[0] = context.getBean(BillingGate.class));
        assertThatThrownBy(() -> gate[0].health()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBadZoneFailsTheContextNamingTheProperty() {
        runner.withPropertyValues("quota.zone=Mars/Olympus").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("quota.zone"));
    }

    @Test
    void disabledConfiguresNothing() {
        runner.withPropertyValues("quota.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(BillingGate.class));
    }

    private static RedisServer startedRedis(int port, Path dir) throws IOException {
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("dir " + dir.toAbsolutePath()).build();
        server.start();
        return server;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's own data source: a private in-memory H2 database. */
    @Configuration(proxyBeanMethods = false)
    static class H2 {
        @Bean
        DataSource dataSource() {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:quota-boot-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            ds.setUser("sa");
            return ds;
        }
    }

    /** The application's own Redis client. */
    @Configuration(proxyBeanMethods = false)
    static class OwnJedis {
        final RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", redisPort)).build();

        @Bean
        UnifiedJedis applicationJedis() {
            return client;
        }
    }
}
