package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.PLATFORM;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.keyLimits;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.BillingCache;
import dev.quota.redis.support.RealRedis;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The function library on the machine's Redis 7 named by {@code QUOTA_TEST_REDIS_URL}: loaded by the first
 * call, loaded again when it was lost (as after a restart without persistence), and the {@code EVALSHA} form
 * when functions are off. Runs only when the variable is set; fails when that server is unreachable.
 */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisFunctionsTest {

    private RealRedis redis;

    @BeforeEach
    void connect() {
        redis = RealRedis.fromEnvironment();
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aLostLibraryIsLoadedAgainByTheNextCallWithoutAnErrorReachingTheCaller() {
        BillingCache cache = adapter(true);
        cache.put(CacheEntry.of(1, usd("10")));
        assertThat(cache.check(check(balanceRequest(1, PLATFORM, keyLimits(null, null, null)), rpm(null, 100L)))
                .balance()).isEqualTo(usd("10"));
        assertThat(redis.client().functionList(TestScripts.libraryName())).hasSize(1);

        redis.deleteFunctionLibrary();

        assertThat(cache.applyUsage(balanceEvent("r1", 1, usd("1"), PLATFORM, null), NOW, ZONE)).isTrue();
        assertThat(cache.check(check(balanceRequest(1, PLATFORM, keyLimits(null, null, null)), rpm(null, 100L)))
                .balance()).isEqualTo(usd("9"));
        assertThat(redis.client().functionList(TestScripts.libraryName())).hasSize(1);
    }

    @Test
    void anotherVersionsLibraryThatSharesUnchangedScriptsDoesNotStopThisOneFromLoading() {
        // another adapter version on the same Redis (a rolling upgrade): its library holds some of the same
        // scripts unchanged, but is not this library
        Scripts ours = Scripts.get();
        FunctionLibrary other = FunctionLibrary.of(List.of(ours.renew(), ours.evict()));
        assertThat(other.name()).isNotEqualTo(ours.library().name());
        redis.deleteFunctionLibrary();
        redis.client().functionLoadReplace(other.codeBytes());
        try {
            BillingCache cache = adapter(true);
            cache.put(CacheEntry.of(3, usd("10")));

            assertThat(cache.check(check(balanceRequest(3, PLATFORM, keyLimits(null, null, null)), rpm(null, 100L)))
                    .balance()).isEqualTo(usd("10"));
            assertThat(redis.client().functionList(TestScripts.libraryName())).hasSize(1);
            assertThat(redis.client().functionList(other.name())).hasSize(1);
        } finally {
            redis.client().functionDelete(other.name());
        }
    }

    @Test
    void withFunctionsOffTheScriptsRunAsScriptsAndGiveTheSameResults() {
        BillingCache cache = adapter(false);
        cache.put(CacheEntry.of(2, usd("10")));
        assertThat(cache.applyUsage(balanceEvent("r2", 2, usd("3"), PLATFORM, null), NOW, ZONE)).isTrue();
        assertThat(cache.applyUsage(balanceEvent("r2", 2, usd("3"), PLATFORM, null), NOW, ZONE)).isFalse();
        assertThat(cache.check(check(balanceRequest(2, PLATFORM, keyLimits(null, null, null)), rpm(null, 100L)))
                .balance()).isEqualTo(usd("7"));
    }

    private BillingCache adapter(boolean functions) {
        return RedisQuota.create(redis.client(), RedisQuotaOptions.builder().keyPrefix(redis.newPrefix())
                .functions(functions).build()).billingCache();
    }
}
