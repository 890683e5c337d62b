package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisQuotaOptionsTest {

    @Test
    void defaultsFollowTheSeed() {
        RedisQuotaOptions o = RedisQuotaOptions.defaults();

        assertThat(o.keyPrefix()).isEqualTo("quota");
        assertThat(o.entryTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.entryTtlJitter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.keyUsageTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(o.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(o.rpmCounterTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.dirtyTtl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shardsDefaultToSixteenAndAreValidated() {
        assertThat(RedisQuotaOptions.defaults().shards()).isEqualTo(16);
        assertThat(RedisQuotaOptions.builder().shards(1).build().shards()).isEqualTo(1);
        assertThat(RedisQuotaOptions.builder().shards(16384).build().shards()).isEqualTo(16384);
        RedisQuotaOptions.Builder b = RedisQuotaOptions.builder();
        assertThatThrownBy(() -> b.shards(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards");
        assertThatThrownBy(() -> b.shards(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.shards(16385)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().shards()).isEqualTo(16);
    }

    @Test
    void theOutboxIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(RedisQuotaOptions.defaults().outboxEnabled()).isTrue();
        RedisQuotaOptions off = RedisQuotaOptions.builder().outbox(false).build();
        assertThat(off.outboxEnabled()).isFalse();
        assertThat(off.toString()).contains("outboxEnabled=false").contains("shards=16");
    }

    @Test
    void pipeliningIsOffByDefaultAndTakesZeroToSixtyFourConnections() {
        assertThat(RedisQuotaOptions.defaults().pipelining()).isZero();
        assertThat(RedisQuotaOptions.builder().pipelining(1).build().pipelining()).isEqualTo(1);
        assertThat(RedisQuotaOptions.builder().pipelining(64).build().pipelining()).isEqualTo(64);
        assertThat(RedisQuotaOptions.builder().pipelining(4).pipelining(0).build().pipelining()).isZero();
        RedisQuotaOptions.Builder b = RedisQuotaOptions.builder();
        assertThatThrownBy(() -> b.pipelining(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipelining");
        assertThatThrownBy(() -> b.pipelining(65)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RedisQuotaOptions.builder().pipelining(2).build().toString()).contains("pipelining=2");
    }

    @Test
    void theDirtyTtlIsAtLeastOneHundredMilliseconds() {
        RedisQuotaOptions.Builder b = RedisQuotaOptions.builder();

        assertThatThrownBy(() -> b.dirtyTtl(Duration.ofMillis(99))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dirtyTtl");
        assertThatThrownBy(() -> b.dirtyTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.dirtyTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.dirtyTtl(null)).isInstanceOf(NullPointerException.class);
        assertThat(b.dirtyTtl(Duration.ofMillis(100)).build().dirtyTtl()).isEqualTo(Duration.ofMillis(100));
        assertThat(RedisQuotaOptions.builder().dirtyTtl(Duration.ofMinutes(1)).build().toString())
                .contains("dirtyTtl=PT1M");
    }

    @Test
    void jitterOnlyShortensTheTtlAndSpreadsIt() {
        RedisQuotaOptions o = RedisQuotaOptions.builder().random(new Random(1)).build();

        long[] ttls = LongStream.range(0, 2000).map(i -> o.jitteredEntryTtlMillis()).toArray();

        assertThat(LongStream.of(ttls).min().getAsLong()).isGreaterThan(270_000L).isLessThan(272_000L);
        assertThat(LongStream.of(ttls).max().getAsLong()).isGreaterThan(298_000L).isLessThanOrEqualTo(300_000L);
    }

    @Test
    void zeroJitterKeepsTheTtl() {
        RedisQuotaOptions o = RedisQuotaOptions.builder().entryTtlJitter(Duration.ZERO).build();

        assertThat(o.jitteredEntryTtlMillis()).isEqualTo(300_000L);
    }

    @Test
    void jitterMustBeShorterThanTheTtl() {
        RedisQuotaOptions.Builder b = RedisQuotaOptions.builder().entryTtl(Duration.ofSeconds(10))
                .entryTtlJitter(Duration.ofSeconds(10));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entryTtlJitter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "quo{ta", "quota}", "q*", "q?", "q[1]", "qü", "back\\slash"})
    void keyPrefixesThatWouldBreakHashTagsOrScansAreRejected(String prefix) {
        assertThatThrownBy(() -> RedisQuotaOptions.builder().keyPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settersValidateEagerly() {
        RedisQuotaOptions.Builder b = RedisQuotaOptions.builder();

        assertThatThrownBy(() -> b.keyPrefix(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.keyPrefix("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.entryTtl(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.entryTtlJitter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.keyUsageTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.idempotencyTtl(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.rpmCounterTtl(Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.random(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.entryTtl(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aValidPrefixIsKept() {
        assertThat(RedisQuotaOptions.builder().keyPrefix("prod-eu_1:quota").build().keyPrefix())
                .isEqualTo("prod-eu_1:quota");
    }
}
