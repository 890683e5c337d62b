package dev.quota.redis.contract;

import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.EmbeddedRedis;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisContractsSuite} on the embedded redis-server with {@linkplain RedisQuotaOptions.Builder#pipelining
 * pipelining} on: every cache, outbox and RPM contract holds when the script calls go out as pipelines.
 */
class PipelinedContractsTest extends RedisContractsSuite {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.of(EmbeddedRedis::start);

    PipelinedContractsTest() {
        super(REDIS);
    }

    @Override
    RedisQuotaOptions.Builder options() {
        return RedisQuotaOptions.builder().pipelining(2);
    }
}
