package dev.quota.redis;

import static dev.quota.redis.Fixtures.KEY;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.PLATFORM;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.keyLimits;
import static dev.quota.redis.Fixtures.periodLimits;
import static dev.quota.redis.Fixtures.platformQuota;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CheckView;
import dev.quota.core.window.WindowUsage;
import dev.quota.redis.support.LocalRedisCluster;
import dev.quota.redis.support.SharedRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Cluster specifics: a request's keys live on one node and its script runs there alone; each node's script
 * cache is its own, so a NOSCRIPT is answered per node and per call.
 */
@ExtendWith(SharedRedisCluster.class)
class ClusterRedisFaultsTest {

    private LocalRedisCluster cluster;
    private RedisQuota quota;
    private BillingCache cache;
    /** One user per node: node port -> user id. */
    private final Map<Integer, Long> userOnNode = new LinkedHashMap<>();

    @BeforeEach
    void newAdapter() {
        cluster = SharedRedisCluster.cluster();
        quota = RedisQuota.create(cluster.client(), RedisQuotaOptions.builder().keyPrefix(cluster.newPrefix()).build());
        cache = quota.billingCache();
        for (long user = 1; userOnNode.size() < cluster.ports().size(); user++) {
            userOnNode.putIfAbsent(cluster.portForSlot(JedisClusterCRC16.getSlot(quota.keys().balance(user))), user);
        }
        userOnNode.values().forEach(this::fill);
    }

    @Test
    void aFullCheckRunsItsPlainCommandsOnTheOwningNodeAndNothingElsewhere() {
        userOnNode.values().forEach(u -> cache.check(check(request(u), rpm(600L, 1000L))));
        Map.Entry<Integer, Long> target = userOnNode.entrySet().iterator().next();
        cluster.ports().forEach(ClusterRedisFaultsTest::resetStats);

        CheckView v = cache.check(check(request(target.getValue()), rpm(600L, 1000L)));

        assertThat(v.complete()).isTrue();
        for (int port : cluster.ports()) {
            Map<String, Long> stats = commandStats(port);
            if (port == target.getKey()) {
                assertThat(stats).containsEntry("hmget", 3L).containsEntry("set", 2L).containsEntry("incr", 2L)
                        .doesNotContainKeys("fcall", "eval", "evalsha", "function|load");
            } else {
                assertThat(stats).doesNotContainKeys("fcall", "evalsha", "eval", "hmget", "set", "incr");
            }
        }
    }

    @Test
    void flushedFunctionLibrariesAreReloadedOnEveryPrimaryWithoutErrorsReachingTheCaller() {
        flushEveryNodeThenCheckRecordAndCheckEveryUser(RedisClient::functionFlush);

        List<Long> fcalls = new ArrayList<>();
        for (int port : cluster.ports()) {
            Map<String, Long> stats = commandStats(port);
            // the very first call met "Function not found" on its node, the library went to every primary at
            // once (one load each), and that call was retried; never a script
            assertThat(stats).containsEntry("function|load", 1L).doesNotContainKeys("eval", "evalsha");
            fcalls.add(stats.get("fcall"));
            try (RedisClient node = RedisClient.create("127.0.0.1", port)) {
                assertThat(node.functionList()).hasSize(1);
            }
        }
        // one call per node (the record: a check runs no script), plus the one that failed on the first node
        assertThat(fcalls).containsOnly(1L, 2L).filteredOn(n -> n == 2L).hasSize(1);
    }

    @Test
    void flushedScriptCachesAreRefilledPerNodeWithoutErrorsReachingTheCaller() {
        cache = RedisQuota.create(cluster.client(), RedisQuotaOptions.builder().keyPrefix(quota.keys().prefix())
                .functions(false).build()).billingCache();
        flushEveryNodeThenCheckRecordAndCheckEveryUser(RedisClient::scriptFlush);

        for (int port : cluster.ports()) {
            // on each node: the record met NOSCRIPT once and was sent with EVAL (a check runs no script)
            assertThat(commandStats(port)).containsEntry("eval", 1L).containsEntry("evalsha", 1L);
        }
    }

    /**
     * One check per user, the flush on every node, stats reset; then per user a check, a record and a check,
     * each answered correctly.
     */
    private void flushEveryNodeThenCheckRecordAndCheckEveryUser(java.util.function.Consumer<RedisClient> flush) {
        userOnNode.values().forEach(u -> cache.check(check(request(u), rpm(null, 1000L))));
        for (int port : cluster.ports()) {
            try (RedisClient node = RedisClient.create("127.0.0.1", port)) {
                flush.accept(node);
            }
            resetStats(port);
        }

        for (long user : userOnNode.values()) {
            assertThat(cache.check(check(request(user), rpm(null, 1000L))).userRpmCount()).isEqualTo(2);
            assertThat(cache.applyUsage(balanceEvent("after-flush", user, usd("1"), PLATFORM, KEY), NOW, ZONE)).isTrue();
            assertThat(cache.check(check(request(user), rpm(null, null))).balance()).isEqualTo(usd("9"));
        }
    }

    private CheckRequest request(long user) {
        return balanceRequest(user, PLATFORM, keyLimits("10", null, null));
    }

    private void fill(long user) {
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(platformQuota(user, periodLimits("100", null, null),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY)));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
    }

    private static void resetStats(int port) {
        try (RedisClient node = RedisClient.create("127.0.0.1", port)) {
            node.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        }
    }

    private static Map<String, Long> commandStats(int port) {
        Map<String, Long> calls = new HashMap<>();
        try (RedisClient node = RedisClient.create("127.0.0.1", port)) {
            for (String line : node.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String count = line.substring(line.indexOf("calls=") + "calls=".length());
                    calls.put(name, Long.parseLong(count.substring(0, count.indexOf(','))));
                }
            }
        }
        return calls;
    }
}
