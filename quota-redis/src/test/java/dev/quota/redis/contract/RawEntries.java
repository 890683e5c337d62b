package dev.quota.redis.contract;

import dev.quota.core.spi.CacheEntryKind;
import dev.quota.redis.RedisKeys;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes raw cache hashes for the contract suites' {@code putRawHash} hook: {@code DEL}, then {@code HSET}. The
 * qualifier of a key × model entry is {@code <api key id>:<model>}, as the in-memory cache's.
 */
final class RawEntries {

    private RawEntries() {
    }

    static void put(UnifiedJedis jedis, RedisKeys keys, CacheEntryKind kind, long userId, String qualifier,
                    Map<String, String> fields) {
        String key = switch (kind) {
            case BALANCE -> keys.balance(userId);
            case SUBSCRIPTION -> keys.subscription(userId, Long.parseLong(qualifier));
            case PLATFORM_QUOTA -> keys.platformQuota(userId, qualifier);
            case KEY_USAGE -> keys.keyUsage(userId, Long.parseLong(qualifier));
            case KEY_MODEL_USAGE -> keys.keyModelUsage(userId,
                    Long.parseLong(qualifier.substring(0, qualifier.indexOf(':'))),
                    qualifier.substring(qualifier.indexOf(':') + 1));
        };
        jedis.del(key);
        jedis.hset(key, fields);
    }
}
