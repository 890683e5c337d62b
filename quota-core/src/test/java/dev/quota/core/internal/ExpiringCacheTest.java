package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

    private static final Instant T0 = Instant.parse("2025-03-10T08:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final ExpiringCache<Long, String> cache = new ExpiringCache<>(now::get, Duration.ofMinutes(10), 2);

    @Test
    void anEntryIsServedUntilJustBeforeItsTtlAndGoneAtIt() {
        cache.put(1L, "a");
        now.set(T0.plus(Duration.ofMinutes(10)).minusMillis(1));
        assertThat(cache.get(1L)).map(ExpiringCache.Entry::value).contains("a");
        now.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(cache.get(1L)).isEmpty();
    }

    @Test
    void anEntryRemembersWhenItWasStored() {
        cache.put(1L, "a");
        now.set(T0.plusSeconds(5));
        assertThat(cache.get(1L)).map(ExpiringCache.Entry::storedAt).contains(T0);
    }

    @Test
    void whenFullTheEntryStoredLongestAgoLeaves() {
        cache.put(1L, "a");
        cache.put(2L, "b");
        cache.put(1L, "a2"); // stored again: now the newest
        cache.put(3L, "c");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(2L)).isEmpty();
        assertThat(cache.get(1L)).map(ExpiringCache.Entry::value).contains("a2");
        assertThat(cache.get(3L)).map(ExpiringCache.Entry::value).contains("c");
    }

    @Test
    void aNonPositiveTtlOrSizeIsRejected() {
        assertThatThrownBy(() -> new ExpiringCache<Long, String>(now::get, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExpiringCache<Long, String>(now::get, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
