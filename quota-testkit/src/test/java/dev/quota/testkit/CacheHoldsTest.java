package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.KeyLimits;
import dev.quota.core.Money;
import dev.quota.core.spi.Hold;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The holds of {@link InMemoryBillingCache}: sums per scope, purging, removal and renewal. */
class CacheHoldsTest {

    private static final long USER = 42;
    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");
    private static final CheckRequest REQUEST = CheckRequest.builder(USER).apiKey(9, KeyLimits.UNLIMITED)
            .platform("anthropic").build();

    private final CacheHolds holds = new CacheHolds();

    private static Hold hold(String id, String usd, Instant expiresAt) {
        return new Hold(id, Money.parse(usd), expiresAt);
    }

    @Test
    void heldBySumsTheOtherHoldsPerScope() {
        holds.add(REQUEST, hold("h1", "1", NOW.plusSeconds(60)));
        holds.add(REQUEST, hold("h2", "2", NOW.plusSeconds(60)));
        long two = Money.parse("2").nanos();
        assertThat(holds.heldBy(REQUEST, "h1")).isEqualTo(new Holds(two, 0, two, two));
        assertThat(holds.heldBy(CheckRequest.builder(USER + 1).build(), "none")).isEqualTo(Holds.NONE);
    }

    @Test
    void aHoldIsPurgedAtExactlyItsExpiry() {
        holds.add(REQUEST, hold("h1", "1", NOW));
        holds.purgeExpired(USER, NOW.minusMillis(1));
        assertThat(holds.contains(USER, "h1")).isTrue();
        holds.purgeExpired(USER, NOW);
        assertThat(holds.contains(USER, "h1")).isFalse();
        assertThat(holds.holds(USER)).isEmpty();
    }

    @Test
    void aHoldIsRemovedOnceAndOnlyForItsOwner() {
        holds.add(REQUEST, hold("h1", "1", NOW));
        assertThat(holds.remove(USER + 1, "h1")).isFalse();
        assertThat(holds.remove(USER, "h1")).isTrue();
        assertThat(holds.remove(USER, "h1")).isFalse();
    }

    @Test
    void aRenewalExtendsButNeverShortens() {
        holds.add(REQUEST, hold("h1", "1", NOW));
        assertThat(holds.renew(USER, "h1", NOW.minus(Duration.ofMinutes(1)))).isTrue();
        assertThat(holds.holds(USER)).containsExactly(hold("h1", "1", NOW));
        assertThat(holds.renew(USER, "h1", NOW.plusSeconds(60))).isTrue();
        assertThat(holds.holds(USER)).containsExactly(hold("h1", "1", NOW.plusSeconds(60)));
        assertThat(holds.renew(USER, "unknown", NOW.plusSeconds(60))).isFalse();
    }
}
