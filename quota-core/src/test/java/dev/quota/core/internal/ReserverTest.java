package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Reservation;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.Money;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.ReserveView;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reservations: held in the cache when it admits, held locally when it cannot, settled through the recorder. */
class ReserverTest {

    private static final CheckRequest REQUEST = CheckRequest.builder(1).build();

    private final GateFixture f = new GateFixture();
    private final GateFixture.Parts parts = new GateFixture.Parts(f.config(b -> b.holdTimeout(Duration.ofMinutes(5))));
    private final Reserver reserver = parts.reserver();

    @AfterEach
    void close() {
        parts.close();
    }

    private static CheckView balance(String units) {
        return new CheckView(Money.parse(units), null, null, null, Set.of(), false, 0, 0);
    }

    @Test
    void aHoldTheCacheAdmitsIsHeldThereAndRenewedThere() {
        f.cache.reserveView = new ReserveView(balance("5"), Holds.NONE, true);
        Reservation r = reserver.reserve(REQUEST, Money.ofUnits(2));
        assertThat(r.decision().allowed()).isTrue();
        assertThat(r.held()).isTrue();
        assertThat(r.local()).isFalse();
        assertThat(r.expiresAt()).isEqualTo(GateFixture.NOW.plus(Duration.ofMinutes(5)));
        f.clock.advance(Duration.ofMinutes(1));
        Reservation renewed = reserver.renew(r);
        assertThat(renewed.expiresAt()).isEqualTo(GateFixture.NOW.plus(Duration.ofMinutes(6)));
        assertThat(f.cache.calls).containsExactly("reserve", "renew " + r.holdId());
    }

    @Test
    void aRefusalOnACompleteViewIsTheEvaluatorsDenial() {
        f.cache.reserveView = new ReserveView(balance("1"), Holds.NONE, false);
        Reservation r = reserver.reserve(REQUEST, Money.ofUnits(2));
        assertThat(r.decision().reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(r.held()).isFalse();
    }

    @Test
    void whenTheCacheIsDownHoldsAreKeptLocallyAgainstTheStoreAndEachOther() {
        f.cache.down = true;
        f.balances.rows.put(1L, Money.ofUnits(5));
        Reservation first = reserver.reserve(REQUEST, Money.ofUnits(3));
        assertThat(first.local()).isTrue();
        assertThat(first.held()).isTrue();
        assertThat(reserver.reserve(REQUEST, Money.ofUnits(3)).decision().reason())
                .as("the first local hold leaves 2").isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        reserver.release(first);
        assertThat(parts.localHolds.any(1, GateFixture.NOW)).isFalse();
        assertThat(reserver.reserve(REQUEST, Money.ofUnits(3)).local()).isTrue();
    }

    @Test
    void settlingALocalHoldHandsTheUsageOverBeforeTheHoldIsDropped() {
        f.cache.down = true;
        f.balances.rows.put(1L, Money.ofUnits(5));
        Reservation r = reserver.reserve(REQUEST, Money.ofUnits(3));
        f.cache.down = false;
        reserver.settle(r, GateFixture.usage("r1", 1, "2"));
        assertThat(f.sink.handed).singleElement().satisfies(h -> assertThat(h.event().requestId()).isEqualTo("r1"));
        assertThat(f.cache.calls).contains("settle " + r.holdId());
        assertThat(parts.localHolds.any(1, GateFixture.NOW)).isFalse();
        assertThat(parts.unsettled.quiet(1)).as("its room now counts as unsettled usage").isFalse();
    }
}
