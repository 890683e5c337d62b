package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.spi.RpmOverrideStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RPM overrides: stated by the request, else looked up once per minute, kept when a lookup fails. */
class RpmOverridesTest {

    private static final Instant NOW = GateFixture.NOW;

    /** Overrides in a map that counts its lookups. */
    private static final class CountingStore implements RpmOverrideStore {
        final Map<String, Long> rows = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();
        volatile boolean down;

        @Override
        public OptionalLong find(long userId, long groupId) {
            finds.incrementAndGet();
            if (down) {
                throw new BackendUnavailableException("overrides down");
            }
            Long v = rows.get(userId + ":" + groupId);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public void set(long userId, long groupId, long rpm) {
            rows.put(userId + ":" + groupId, rpm);
        }

        @Override
        public void remove(long userId, long groupId) {
            rows.remove(userId + ":" + groupId);
        }
    }

    private final CountingStore store = new CountingStore();
    private final RpmOverrides overrides = new RpmOverrides(store, new SingleFlight<>(Runnable::run, Duration.ofSeconds(5)));

    private static CheckRequest inGroup(long userId) {
        return CheckRequest.builder(userId).group(7, Limit.of(10)).build();
    }

    @Test
    void aLookedUpOverrideIsReusedForOneMinute() {
        store.set(1, 7, 50);
        assertThat(overrides.resolve(inGroup(1), NOW)).hasValue(50);
        store.set(1, 7, 60);
        assertThat(overrides.resolve(inGroup(1), NOW.plus(RpmOverrides.TTL).minusMillis(1))).hasValue(50);
        assertThat(store.finds).hasValue(1);
        assertThat(overrides.resolve(inGroup(1), NOW.plus(RpmOverrides.TTL))).hasValue(60);
        assertThat(store.finds).hasValue(2);
    }

    @Test
    void anOverrideTheRequestStatesOrNoGroupNeedsNoLookup() {
        assertThat(overrides.resolve(CheckRequest.builder(1).group(7, Limit.of(10)).groupRpmOverride(5).build(), NOW))
                .hasValue(5);
        assertThat(overrides.resolve(CheckRequest.builder(1).group(7, Limit.of(10)).noGroupRpmOverride().build(), NOW))
                .isEmpty();
        assertThat(overrides.resolve(CheckRequest.builder(1).build(), NOW)).isEmpty();
        assertThat(new RpmOverrides(null, new SingleFlight<>(Runnable::run, Duration.ofSeconds(5)))
                .resolve(inGroup(1), NOW)).isEmpty();
        assertThat(store.finds).hasValue(0);
    }

    @Test
    void aFailedLookupKeepsTheLastValue() {
        store.set(1, 7, 50);
        overrides.resolve(inGroup(1), NOW);
        store.down = true;
        assertThat(overrides.resolve(inGroup(1), NOW.plus(RpmOverrides.TTL))).hasValue(50);
        assertThat(overrides.resolve(inGroup(2), NOW)).as("never loaded: none").isEmpty();
    }

    @Test
    void forgottenOverridesAreLookedUpAgainAndOtherUsersKeepTheirs() {
        store.set(1, 7, 50);
        store.set(12, 7, 70);
        overrides.resolve(inGroup(1), NOW);
        overrides.resolve(inGroup(12), NOW);
        store.set(1, 7, 51);
        overrides.forget(1, 7);
        assertThat(overrides.resolve(inGroup(1), NOW)).hasValue(51);
        store.set(1, 7, 52);
        store.set(12, 7, 72);
        overrides.forgetUser(1);
        assertThat(overrides.resolve(inGroup(1), NOW)).hasValue(52);
        assertThat(overrides.resolve(inGroup(12), NOW)).as("user 12 is not user 1").hasValue(70);
    }
}
