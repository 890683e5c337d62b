package dev.quota.redis;

import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.redis.support.RedisTarget;

/** The adapter's behaviour on the embedded redis-server (always runs). */
class EmbeddedRedisAdapterTest extends RedisAdapterBehaviour {

    @Override
    protected RedisTarget openTarget() {
        return EmbeddedRedis.start();
    }
}
