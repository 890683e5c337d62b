package dev.quota.spring.boot;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code quota.*} properties of {@link QuotaAutoConfiguration}. Immutable; bound and validated at start-up.
 *
 * @param enabled {@code quota.enabled}: false to configure nothing (default true)
 * @param zone {@code quota.zone}: the business zone shared by the gate, the SQL adapter and the usage writer, an IANA
 *     id such as {@code Asia/Shanghai} (default {@code UTC})
 * @param simpleMode {@code quota.simple-mode}: allow every request without checks (default false)
 * @param loadTimeout {@code quota.load-timeout}: how long a check waits for a store load (default 3 s)
 * @param redis {@code quota.redis.*}: where the cache lives
 * @param jdbc {@code quota.jdbc.*}: the SQL adapter on the application's {@code DataSource}
 * @param breaker {@code quota.breaker.*}: the billing circuit breaker
 * @param cacheWritePool {@code quota.cache-write-pool.*}: the asynchronous cache-write pool
 * @param health {@code quota.health.*}: how the health indicator reports
 */
@ConfigurationProperties("quota")
public record QuotaProperties(@DefaultValue("true") boolean enabled, @DefaultValue("UTC") String zone,
                              @DefaultValue("false") boolean simpleMode, @DefaultValue("3s") Duration loadTimeout,
                              @DefaultValue Redis redis, @DefaultValue Jdbc jdbc, @DefaultValue Breaker breaker,
                              @DefaultValue CacheWritePool cacheWritePool, @DefaultValue Health health) {

    /**
     * Redis: a standalone URL, or cluster nodes, or neither (then an existing {@code UnifiedJedis} bean is used,
     * and without one the gate runs on SQL alone).
     *
     * @param url {@code quota.redis.url}, e.g. {@code redis://127.0.0.1:6379} (user, password, database and
     *     {@code rediss://} for TLS as Jedis reads them)
     * @param clusterNodes {@code quota.redis.cluster-nodes}: {@code host:port} seeds of a Redis Cluster
     * @param keyPrefix {@code quota.redis.key-prefix}: prefix of every Quota key (default {@code quota})
     */
    public record Redis(String url, List<String> clusterNodes, @DefaultValue("quota") String keyPrefix) {

        /** @return true when a URL or cluster nodes are given */
        public boolean configured() {
            return url != null && !url.isBlank() || clusterNodes != null && !clusterNodes.isEmpty();
        }
    }

    /**
     * The SQL adapter.
     *
     * @param tablePrefix {@code quota.jdbc.table-prefix}: prefix of every Quota table (default {@code quota_})
     * @param installSchema {@code quota.jdbc.install-schema}: run {@code JdbcQuota.installSchema()} at start-up
     *     (default false: migrate with Flyway, see the quota-jdbc README)
     */
    public record Jdbc(@DefaultValue("quota_") String tablePrefix, @DefaultValue("false") boolean installSchema) {
    }

    /**
     * The billing circuit breaker.
     *
     * @param failureThreshold {@code quota.breaker.failure-threshold}: consecutive failures that open it (default 5)
     * @param resetTimeout {@code quota.breaker.reset-timeout}: time open before probing (default 30 s)
     * @param halfOpenRequests {@code quota.breaker.half-open-requests}: probes while half-open (default 1)
     */
    public record Breaker(@DefaultValue("5") int failureThreshold, @DefaultValue("30s") Duration resetTimeout,
                          @DefaultValue("1") int halfOpenRequests) {
    }

    /**
     * The cache-write pool.
     *
     * @param workers {@code quota.cache-write-pool.workers} (default 10)
     * @param queue {@code quota.cache-write-pool.queue} (default 1000)
     * @param taskTimeout {@code quota.cache-write-pool.task-timeout} (default 2 s)
     */
    public record CacheWritePool(@DefaultValue("10") int workers, @DefaultValue("1000") int queue,
                                 @DefaultValue("2s") Duration taskTimeout) {
    }

    /**
     * The health indicator.
     *
     * @param degradedStatus {@code quota.health.degraded-status}: the Spring status reported while the gate is
     *     {@code DEGRADED} (for example Redis down: checks run on SQL). Default {@code DOWN}, as Spring's own Redis
     *     indicator reports a Redis that does not answer; set {@code UP} or {@code OUT_OF_SERVICE} to tell apart
     */
    public record Health(@DefaultValue("DOWN") String degradedStatus) {
    }
}
