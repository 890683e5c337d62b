package dev.quota.redis;

import dev.quota.redis.support.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class on a redis-server of its own: the embedded server starts before the class's first test and stops
 * after its last; {@link #newQuota} gives each test an adapter under a fresh key prefix.
 */
abstract class OnEmbeddedRedis {

    /** The class's server. */
    static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** @return an adapter on the class's server with {@code options} and a key prefix no other test uses */
    static RedisQuota newQuota(RedisQuotaOptions.Builder options) {
        return RedisQuota.create(redis.client(), options.keyPrefix(redis.newPrefix()).build());
    }
}
