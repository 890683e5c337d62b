package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("quota", 16);

    @Test
    void keysFollowTheDocumentedLayout() {
        assertThat(keys.shard(42)).isEqualTo(10);
        assertThat(keys.balance(42)).isEqualTo("quota:v2:{s:10}:u:42:bal");
        assertThat(keys.subscription(42, 7)).isEqualTo("quota:v2:{s:10}:u:42:sub:7");
        assertThat(keys.platformQuota(42, "anthropic")).isEqualTo("quota:v2:{s:10}:u:42:pq:anthropic");
        assertThat(keys.keyUsage(42, 9)).isEqualTo("quota:v2:{s:10}:u:42:key:9");
        assertThat(keys.keyModelUsage(42, 9, "claude-sonnet-4")).isEqualTo("quota:v2:{s:10}:u:42:km:9:15:claude-sonnet-4");
        assertThat(keys.keyModelUsage(42, 9, "ü")).as("the length in UTF-8 bytes").isEqualTo("quota:v2:{s:10}:u:42:km:9:2:ü");
        assertThat(keys.rpmUser(42, 1_741_593_600_000L)).isEqualTo("quota:v2:{s:10}:u:42:rpm:1741593600000");
        assertThat(keys.rpmGroup(42, 7, 1_741_593_600_000L)).isEqualTo("quota:v2:{s:10}:u:42:rpm:g7:1741593600000");
        assertThat(keys.done(42, "req-1")).isEqualTo("quota:v2:{s:10}:u:42:done:req-1");
        assertThat(keys.settled(42, "h-1")).isEqualTo("quota:v2:{s:10}:u:42:settled:h-1");
        assertThat(keys.holds(42)).isEqualTo("quota:v2:{s:10}:u:42:holds");
        assertThat(keys.dirty(keys.balance(42))).isEqualTo("quota:v2:{s:10}:u:42:bal:dirty");
        assertThat(keys.dirty(keys.subscription(42, 7))).isEqualTo("quota:v2:{s:10}:u:42:sub:7:dirty");
        assertThat(keys.dirty(keys.platformQuota(42, "anthropic"))).isEqualTo("quota:v2:{s:10}:u:42:pq:anthropic:dirty");
        assertThat(keys.dirty(keys.keyUsage(42, 9))).isEqualTo("quota:v2:{s:10}:u:42:key:9:dirty");
        assertThat(keys.outbox(10)).isEqualTo("quota:v2:{s:10}:outbox");
        assertThat(keys.outboxDue(10)).isEqualTo("quota:v2:{s:10}:outbox:due");
        assertThat(RedisKeys.outboxMember(42, "req:1")).isEqualTo("42:req:1");
    }

    @Test
    void theLayoutOfVersionOneIsNeverRead() {
        assertThat(keys.balance(42)).doesNotContain("{u:").startsWith("quota:v" + RedisKeys.LAYOUT_VERSION + ":");
        assertThat(RedisKeys.LAYOUT_VERSION).isEqualTo(2);
    }

    @Test
    void usersAreShardedByFloorMod() {
        assertThat(keys.shard(16)).isZero();
        assertThat(keys.shard(17)).isEqualTo(1);
        assertThat(keys.shard(-1)).isEqualTo(15);
        assertThat(keys.shard(Long.MIN_VALUE)).isZero();
        assertThat(new RedisKeys("quota", 1).balance(42)).isEqualTo("quota:v2:{s:0}:u:42:bal");
        assertThatThrownBy(() -> keys.outbox(16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.outbox(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisKeys("quota", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKeyOfAUserAndItsShardsOutboxShareOneClusterSlotWhateverTheSuffix() {
        List<String> all = List.of(keys.balance(42), keys.subscription(42, 7), keys.platformQuota(42, "a{b}c"),
                keys.keyUsage(42, 9), keys.keyModelUsage(42, 9, "{m}"), keys.rpmUser(42, 0), keys.rpmGroup(42, 7, 0), keys.done(42, "{x}"),
                keys.settled(42, "}"), keys.holds(42), keys.outbox(10), keys.outboxDue(10));

        assertThat(all).extracting(JedisClusterCRC16::getSlot).containsOnly(JedisClusterCRC16.getSlot("s:10"));
    }

    @Test
    void everyDirtyMarkerSharesItsEntrysClusterSlot() {
        for (long user : new long[] {1, 42, 1_000_003, Long.MAX_VALUE}) {
            List<String> entries = List.of(keys.balance(user), keys.subscription(user, 7), keys.platformQuota(user, "a{b}c"),
                    keys.platformQuota(user, "anthropic"), keys.keyUsage(user, 9));
            for (String entry : entries) {
                assertThat(JedisClusterCRC16.getSlot(keys.dirty(entry))).as(entry)
                        .isEqualTo(JedisClusterCRC16.getSlot(entry))
                        .isEqualTo(JedisClusterCRC16.getSlot(keys.outbox(keys.shard(user))));
            }
        }
    }

    @Test
    void usersSpreadOverEveryShardsSlot() {
        long distinctSlots = java.util.stream.LongStream.rangeClosed(1, 200)
                .mapToInt(u -> JedisClusterCRC16.getSlot(keys.balance(u))).distinct().count();

        assertThat(distinctSlots).isEqualTo(16);
    }

    @Test
    void noModelMakesTheKeyOfAnotherModelsEntryOrDirtyMarker() {
        String entry = keys.keyModelUsage(42, 9, "m");
        assertThat(keys.keyModelUsage(42, 9, "m:dirty")).isNotEqualTo(keys.dirty(entry));
        assertThat(keys.keyModelUsage(42, 9, "1:m")).isNotEqualTo(keys.keyModelUsage(42, 91, "m"))
                .isNotEqualTo(keys.keyModelUsage(42, 9, "m"));
        assertThat(keys.keyModelUsage(42, 9, "m")).isNotEqualTo(keys.keyUsage(42, 9));
    }
}
