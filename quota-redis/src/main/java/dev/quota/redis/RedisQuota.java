package dev.quota.redis;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.Pingable;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.UsageOutbox;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Entry point of the Redis adapter: the {@link BillingCache} and {@link RpmCounter} ports on a Jedis
 * {@link UnifiedJedis}, so a standalone {@code RedisClient}, a {@code RedisClusterClient} or any pooled
 * client works the same way.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.builder().hostAndPort("127.0.0.1", 6379).build();
 * RedisQuota quota = RedisQuota.create(redis, RedisQuotaOptions.defaults());
 * BillingCache cache = quota.billingCache();
 * RpmCounter rpm = quota.rpmCounter();
 * }</pre>
 *
 * <p>Every check, record, reservation, settlement, refill and eviction is one Lua script call and a release one
 * {@code HDEL}, each touching only keys of one user and the outbox of the user's shard, which share a cluster
 * hash tag (see {@link RedisKeys}). On Redis 7 the scripts are one function library, loaded on the first call
 * ({@code FUNCTION LOAD REPLACE}, again whenever a node answers that it lacks it) and called with
 * {@code FCALL}; on older servers, or with {@link RedisQuotaOptions.Builder#functions} off, each is an
 * {@code EVALSHA}, retried once with {@code EVAL} when the node lacks the script.
 * Refills never overwrite a valid cached entry and are refused for {@link RedisQuotaOptions#dirtyTtl()}
 * after usage met the entry absent or after an eviction. Failures of the client (connection, timeout, server
 * error) surface as {@link dev.quota.core.BackendUnavailableException}; connection and command
 * timeouts, pooling, TLS and authentication are the client's configuration.
 *
 * <p>The adapter does not own the client: closing the client is the caller's job, after {@link #close()}.
 * Creating an adapter does no I/O. Instances are thread-safe.
 */
public final class RedisQuota implements Pingable, AutoCloseable {

    private final RedisQuotaOptions options;
    private final RedisKeys keys;
    private final BillingCache billingCache;
    private final RpmCounter rpmCounter;
    private final UsageOutbox usageOutbox;
    /** The pipeline of {@link RedisQuotaOptions#pipelining()}, or null. */
    private final PipelinedExecutor pipeline;

    private RedisQuota(UnifiedJedis jedis, RedisQuotaOptions options) {
        this.options = options;
        this.keys = new RedisKeys(options.keyPrefix(), options.shards());
        Scripts scripts = Scripts.get();
        this.pipeline = options.pipelining() > 0 ? PipelinedExecutor.of(jedis, options.pipelining()) : null;
        ScriptClient client = new ScriptClient(jedis, scripts.library(), options.functionsEnabled(), pipeline);
        this.billingCache = new RedisBillingCache(client, options, keys, scripts);
        this.rpmCounter = new RedisRpmCounter(client, options, keys, scripts);
        this.usageOutbox = new RedisUsageOutbox(client, keys, scripts);
    }

    /**
     * Creates the adapter.
     *
     * @param jedis the client; not closed by the adapter
     * @param options the options
     * @return the adapter
     */
    public static RedisQuota create(UnifiedJedis jedis, RedisQuotaOptions options) {
        Objects.requireNonNull(jedis, "jedis");
        Objects.requireNonNull(options, "options");
        return new RedisQuota(jedis, options);
    }

    /**
     * Creates the adapter with {@link RedisQuotaOptions#defaults()}.
     *
     * @param jedis the client; not closed by the adapter
     * @return the adapter
     */
    public static RedisQuota create(UnifiedJedis jedis) {
        return create(jedis, RedisQuotaOptions.defaults());
    }

    /** @return the billing cache port; thread-safe */
    public BillingCache billingCache() {
        return billingCache;
    }

    /** @return the requests-per-minute counter port; thread-safe */
    public RpmCounter rpmCounter() {
        return rpmCounter;
    }

    /**
     * The usage outbox the {@linkplain #billingCache() billing cache} appends to: every record or settlement
     * that newly sets its request's idempotency marker appends the event to the outbox of the user's shard in
     * the same script call (unless {@link RedisQuotaOptions#outboxEnabled()} is off). Entries are keyed by
     * {@link dev.quota.core.usage.UsageKey}, so the gate acknowledges them by key after the store committed
     * them, and a drainer claims those left by a dead instance with
     * {@link UsageOutbox#claimStale}.
     *
     * @return the usage outbox port; thread-safe
     */
    public UsageOutbox usageOutbox() {
        return usageOutbox;
    }

    /**
     * Sends one {@code PING} through the client (in a cluster, to one node the client picks): use it to check the
     * configuration at start-up. {@link #billingCache()} pings the same way, which is what
     * {@link dev.quota.core.BillingGate#health()} uses.
     *
     * @throws dev.quota.core.BackendUnavailableException when Redis does not answer {@code PONG}
     */
    @Override
    public void ping() {
        ((Pingable) billingCache).ping();
    }

    /** @return the key layout in use */
    public RedisKeys keys() {
        return keys;
    }

    /** @return the options in use */
    public RedisQuotaOptions options() {
        return options;
    }

    /**
     * Stops {@linkplain RedisQuotaOptions.Builder#pipelining pipelining}: its threads end, its connections close,
     * calls still waiting for a reply and every later script call fail with
     * {@link dev.quota.core.BackendUnavailableException}. Without pipelining there is nothing to stop and the
     * adapter keeps working. The client stays open (the caller owns it). Close the gate first, so that its last
     * acknowledgements reach Redis. Idempotent.
     */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
