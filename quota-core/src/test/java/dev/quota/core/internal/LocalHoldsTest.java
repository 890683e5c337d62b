package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.KeyLimits;
import dev.quota.core.Money;
import dev.quota.core.spi.Hold;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Local holds: scopes summed as the cache sums them, lapsing on the clock, taken only when admitted. */
class LocalHoldsTest {

    private static final Instant NOW = Instant.parse("2026-11-18T02:00:00Z");
    private final LocalHolds holds = new LocalHolds();

    private static CheckRequest onPlatform(String platform) {
        return CheckRequest.builder(1).noGroupRpmOverride().platform(platform)
                .apiKey(9, KeyLimits.UNLIMITED).build();
    }

    private static Hold hold(String id, String amount, Instant expiresAt) {
        return new Hold(id, Money.parse(amount), expiresAt);
    }

    @Test
    void anAdmittedHoldCountsInItsScopesAndADeniedOneIsNotKept() {
        assertThat(holds.hold(onPlatform("a"), hold("h1", "1", NOW.plusSeconds(60)), NOW, h -> Decision.allow()).allowed())
                .isTrue();
        assertThat(holds.hold(onPlatform("b"), hold("h2", "2", NOW.plusSeconds(60)), NOW,
                h -> Decision.deny(DenyReason.INSUFFICIENT_BALANCE)).denied()).isTrue();
        AtomicReference<Holds> seen = new AtomicReference<>();
        holds.hold(onPlatform("b"), hold("h3", "4", NOW.plusSeconds(60)), NOW, h -> {
            seen.set(h);
            return null;
        });
        long one = Money.parse("1").nanos();
        assertThat(seen.get()).isEqualTo(new Holds(one, 0, 0, one)); // another platform, same key
        assertThat(holds.held(onPlatform("a"), NOW)).isEqualTo(new Holds(one, 0, one, one));
    }

    @Test
    void aHoldCountsInTheModelScopeOfItsKeyAndModelOnlyAndRenewalKeepsIt() {
        KeyLimits cap = new KeyLimits(dev.quota.core.Limit.of(1), dev.quota.core.Limit.unlimited(),
                dev.quota.core.Limit.unlimited());
        CheckRequest m = CheckRequest.builder(1).noGroupRpmOverride().apiKey(9, KeyLimits.UNLIMITED)
                .modelCap("m", cap).build();
        holds.hold(m, hold("h1", "1", NOW.plusSeconds(60)), NOW, h -> Decision.allow());
        holds.renew(1, "h1", NOW.plusSeconds(120), NOW);
        long one = Money.parse("1").nanos();
        assertThat(holds.held(m, NOW.plusSeconds(90))).isEqualTo(new Holds(one, 0, 0, one, one));
        CheckRequest other = CheckRequest.builder(1).noGroupRpmOverride().apiKey(9, KeyLimits.UNLIMITED)
                .modelCap("n", cap).build();
        assertThat(holds.held(other, NOW).model()).as("another model").isZero();
        CheckRequest otherKey = CheckRequest.builder(1).noGroupRpmOverride().apiKey(8, KeyLimits.UNLIMITED)
                .modelCap("m", cap).build();
        assertThat(holds.held(otherKey, NOW).model()).as("the same model of another key").isZero();
    }

    @Test
    void holdsLapseAtTheirExpiryAndRenewalKeepsThem() {
        holds.hold(onPlatform("a"), hold("h1", "1", NOW.plusSeconds(60)), NOW, h -> Decision.allow());
        assertThat(holds.renew(1, "h1", NOW.plusSeconds(120), NOW.plusSeconds(59))).isTrue();
        assertThat(holds.any(1, NOW.plusSeconds(119))).isTrue();
        assertThat(holds.any(1, NOW.plusSeconds(120))).isFalse();
        assertThat(holds.renew(1, "h1", NOW.plusSeconds(300), NOW.plusSeconds(120))).as("lapsed stays gone").isFalse();
    }

    @Test
    void removeIsIdempotent() {
        holds.hold(onPlatform("a"), hold("h1", "1", NOW.plusSeconds(60)), NOW, h -> Decision.allow());
        assertThat(holds.remove(1, "h1")).isTrue();
        assertThat(holds.remove(1, "h1")).isFalse();
        assertThat(holds.any(1, NOW)).isFalse();
    }
}
