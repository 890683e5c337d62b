/**
 * The Redis adapter of Quota: {@link dev.quota.core.spi.BillingCache}, {@link dev.quota.core.spi.RpmCounter}
 * and {@link dev.quota.core.spi.UsageOutbox} on a Jedis {@code UnifiedJedis} (standalone or Redis Cluster),
 * created with {@link dev.quota.redis.RedisQuota#create}. One round trip per check (plain commands, no script) and
 * one Lua script call per record and per reservation, all or nothing; every key of a request and the outbox of its user's shard share the shard's cluster hash tag
 * ({@link dev.quota.redis.RedisKeys}); money is integer nano-units end to end ({@code HINCRBY}, decimal
 * strings, never floating point).
 */
package dev.quota.redis;
