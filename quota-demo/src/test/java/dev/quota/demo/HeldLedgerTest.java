package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ledger gate that holds the demo's writer back. */
class HeldLedgerTest {

    private static final ZoneId ZONE = DemoEnvironment.ZONE;

    private final MutableClock clock = MutableClock.startingAt("2026-11-16T11:00:00Z");
    private final Recording recording = new Recording();
    private final HeldLedger ledger = new HeldLedger(recording, clock);

    @Test
    void passesStoresThroughWithTheCallersInstantWhenNotHeld() {
        Instant caller = clock.instant().minusSeconds(30);
        LedgerResult r = ledger.store(List.of(event("a")), caller, ZONE);
        assertThat(r.stored()).hasSize(1);
        assertThat(recording.nows).containsExactly(caller);
        assertThat(ledger.waitedCalls()).isZero();
    }

    @Test
    void aHeldStoreWaitsForTheReleaseAndTakesTheClocksInstantThen() throws Exception {
        ledger.hold();
        Instant caller = clock.instant();
        CompletableFuture<LedgerResult> store = CompletableFuture.supplyAsync(
                () -> ledger.store(List.of(event("b"), event("c")), caller, ZONE));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ledger.waitedCalls() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ledger.waitedCalls()).isEqualTo(1);
        assertThat(recording.nows).as("nothing stored while held").isEmpty();
        assertThat(store).isNotDone();

        clock.advance(Duration.ofHours(1));
        ledger.release();
        assertThat(store.get(30, TimeUnit.SECONDS).stored()).hasSize(2);
        assertThat(recording.nows).containsExactly(caller.plus(Duration.ofHours(1)),
                caller.plus(Duration.ofHours(1)));

        ledger.store(List.of(event("d")), clock.instant(), ZONE);
        assertThat(ledger.waitedCalls()).as("released: later calls pass").isEqualTo(1);
    }

    private static UsageEvent event(String id) {
        return UsageEvent.builder(id, 1).billingMode(BillingMode.BALANCE).totalCost(Money.parse("0.01"))
                .occurredAt(Instant.parse("2026-11-16T11:00:00Z")).build();
    }

    /** Stores everything, noting the instant each event was stored with. */
    private static final class Recording implements UsageLedger {
        final List<Instant> nows = new CopyOnWriteArrayList<>();

        @Override
        public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
            nows.add(now);
            return true;
        }

        @Override
        public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
            events.forEach(e -> apply(e, now, zone));
            return events.size();
        }
    }
}
