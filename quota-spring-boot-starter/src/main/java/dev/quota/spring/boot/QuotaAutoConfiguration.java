package dev.quota.spring.boot;

import dev.quota.core.BillingGate;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.micrometer.QuotaMetrics;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.stack.QuotaStack;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Auto-configures a Quota {@link BillingGate} from {@link QuotaProperties}: Redis from {@code quota.redis.url} or
 * {@code quota.redis.cluster-nodes} (or an existing {@link UnifiedJedis} bean; with neither the gate runs on SQL
 * alone), SQL on the application's {@link DataSource}, a batching usage writer, the business zone, breaker and
 * write-pool settings; a {@link QuotaHealthIndicator} when Spring Boot Actuator is present ({@link QuotaHealthAutoConfiguration}) and {@link QuotaMetrics}
 * (bound by Actuator to every meter registry) when Micrometer and quota-micrometer are. Every bean backs off when
 * the application defines its own. The gate is closed with the context (flushing its usage writer).
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass({BillingGate.class, JdbcQuota.class, RedisQuota.class})
@ConditionalOnProperty(prefix = "quota", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(QuotaProperties.class)
public class QuotaAutoConfiguration {

    /** Used by Spring. */
    public QuotaAutoConfiguration() {
    }

    /**
     * A Jedis client for {@code quota.redis.url} (standalone) or {@code quota.redis.cluster-nodes}; closed with the
     * context. Creating a standalone client does no I/O: a wrong host or port shows in the start-up WARN and in
     * health.
     *
     * @param properties the properties
     * @return the client
     * @throws IllegalArgumentException when a cluster node is not {@code host:port}
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(UnifiedJedis.class)
    @Conditional(RedisConfigured.class)
    public UnifiedJedis quotaJedis(QuotaProperties properties) {
        QuotaProperties.Redis redis = properties.redis();
        if (redis.clusterNodes() != null && !redis.clusterNodes().isEmpty()) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (String node : redis.clusterNodes()) {
                try {
                    nodes.add(HostAndPort.from(node.strip()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("quota.redis.cluster-nodes: not host:port: " + node, e);
                }
            }
            return RedisClusterClient.create(nodes);
        }
        return RedisClient.create(URI.create(redis.url().strip()));
    }

    /**
     * The SQL adapter on the application's data source, in the business zone; installs the schema when
     * {@code quota.jdbc.install-schema} is true.
     *
     * @param dataSource the application's data source
     * @param properties the properties
     * @return the adapter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DataSource.class)
    public JdbcQuota quotaJdbc(DataSource dataSource, QuotaProperties properties) {
        JdbcQuota sql = JdbcQuota.builder(dataSource).zone(zone(properties))
                .tablePrefix(properties.jdbc().tablePrefix()).build();
        if (properties.jdbc().installSchema()) {
            sql.installSchema();
        }
        return sql;
    }

    /**
     * The gate, wired by {@link QuotaStack} over the SQL adapter (whose time and zone it inherits) and, when there
     * is a client, Redis; closed with the context.
     *
     * @param sql the SQL adapter
     * @param jedis the Redis client, when there is one
     * @param metrics the Micrometer listener, when there is one
     * @param properties the properties
     * @return the gate
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean(JdbcQuota.class)
    public BillingGate billingGate(JdbcQuota sql, Optional<UnifiedJedis> jedis, ObjectProvider<QuotaMetrics> metrics,
                                   QuotaProperties properties) {
        QuotaMetrics listener = metrics.getIfAvailable();
        QuotaStack.Builder stack = QuotaStack.builder(sql).gate(b -> {
            b.simpleMode(properties.simpleMode()).loadTimeout(properties.loadTimeout())
                    .circuitBreaker(properties.breaker().failureThreshold(), properties.breaker().resetTimeout(),
                            properties.breaker().halfOpenRequests())
                    .cacheWritePool(properties.cacheWritePool().workers(), properties.cacheWritePool().queue(),
                            properties.cacheWritePool().taskTimeout());
            if (listener != null) {
                b.listener(listener);
            }
        });
        jedis.ifPresent(client -> stack.redis(client,
                RedisQuotaOptions.builder().keyPrefix(properties.redis().keyPrefix()).build()));
        BillingGate gate = stack.build().gate();
        if (listener != null) {
            listener.monitor(gate);
        }
        return gate;
    }

    private static ZoneId zone(QuotaProperties properties) {
        try {
            return ZoneId.of(properties.zone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("quota.zone: not a time zone: " + properties.zone(), e);
        }
    }

    /** The meters, when Micrometer and quota-micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, QuotaMetrics.class})
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QuotaMetrics quotaMetrics() {
            return QuotaMetrics.create();
        }
    }

    /** Matches when {@code quota.redis.url} or {@code quota.redis.cluster-nodes} is set. */
    static final class RedisConfigured extends AnyNestedCondition {

        RedisConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "quota.redis", name = "url")
        static final class Url {
        }

        @ConditionalOnProperty(prefix = "quota.redis", name = "cluster-nodes")
        static final class ClusterNodes {
        }
    }
}
