package dev.quota.redis.contract;

import dev.quota.redis.support.EmbeddedRedis;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisContractsSuite} on the embedded redis-server (always runs). */
class EmbeddedContractsTest extends RedisContractsSuite {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.of(EmbeddedRedis::start);

    EmbeddedContractsTest() {
        super(REDIS);
    }
}
