package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("quota");

    @Test
    void keysFollowTheDocumentedLayout() {
        assertThat(keys.balance(42)).isEqualTo("quota:{u:42}:bal");
        assertThat(keys.subscription(42, 7)).isEqualTo("quota:{u:42}:sub:7");
        assertThat(keys.platformQuota(42, "anthropic")).isEqualTo("quota:{u:42}:pq:anthropic");
        assertThat(keys.keyUsage(42, 9)).isEqualTo("quota:{u:42}:key:9");
        assertThat(keys.rpmUser(42, 1_741_593_600_000L)).isEqualTo("quota:{u:42}:rpm:1741593600000");
        assertThat(keys.rpmGroup(42, 7, 1_741_593_600_000L)).isEqualTo("quota:{u:42}:rpm:g7:1741593600000");
        assertThat(keys.done(42, "req-1")).isEqualTo("quota:{u:42}:done:req-1");
        assertThat(keys.settled(42, "h-1")).isEqualTo("quota:{u:42}:settled:h-1");
        assertThat(keys.holds(42)).isEqualTo("quota:{u:42}:holds");
        assertThat(keys.dirty(keys.balance(42))).isEqualTo("quota:{u:42}:bal:dirty");
        assertThat(keys.dirty(keys.subscription(42, 7))).isEqualTo("quota:{u:42}:sub:7:dirty");
        assertThat(keys.dirty(keys.platformQuota(42, "anthropic"))).isEqualTo("quota:{u:42}:pq:anthropic:dirty");
        assertThat(keys.dirty(keys.keyUsage(42, 9))).isEqualTo("quota:{u:42}:key:9:dirty");
    }

    @Test
    void everyKeyOfAUserSharesOneClusterSlotWhateverItsSuffix() {
        List<String> all = List.of(keys.balance(42), keys.subscription(42, 7), keys.platformQuota(42, "a{b}c"),
                keys.keyUsage(42, 9), keys.rpmUser(42, 0), keys.rpmGroup(42, 7, 0), keys.done(42, "{x}"),
                keys.settled(42, "}"), keys.holds(42));

        assertThat(all).extracting(JedisClusterCRC16::getSlot).containsOnly(JedisClusterCRC16.getSlot("u:42"));
    }

    @Test
    void everyDirtyMarkerSharesItsEntrysClusterSlot() {
        for (long user : new long[] {1, 42, 1_000_003, Long.MAX_VALUE}) {
            List<String> entries = List.of(keys.balance(user), keys.subscription(user, 7), keys.platformQuota(user, "a{b}c"),
                    keys.platformQuota(user, "anthropic"), keys.keyUsage(user, 9));
            for (String entry : entries) {
                assertThat(JedisClusterCRC16.getSlot(keys.dirty(entry))).as(entry)
                        .isEqualTo(JedisClusterCRC16.getSlot(entry))
                        .isEqualTo(JedisClusterCRC16.getSlot("u:" + user));
            }
        }
    }

    @Test
    void differentUsersSpreadOverTheCluster() {
        long distinctSlots = java.util.stream.LongStream.rangeClosed(1, 200)
                .mapToInt(u -> JedisClusterCRC16.getSlot(keys.balance(u))).distinct().count();

        assertThat(distinctSlots).isGreaterThan(190);
    }
}
