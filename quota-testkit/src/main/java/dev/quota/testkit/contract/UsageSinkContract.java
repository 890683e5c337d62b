package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageFilter;
import dev.quota.testkit.InMemoryUsageLedger;
import dev.quota.testkit.MutableClock;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UsageSink} passes: nothing submitted is lost (after {@link UsageSink#flush()} or
 * {@link UsageSink#close()} every event is in the ledger), replays are harmless, {@code close} is idempotent
 * and a closed sink refuses new events. The sink writes into an in-memory {@link InMemoryUsageLedger} the suite
 * inspects.
 */
public abstract class UsageSinkContract {

    private static final long USER = 42;

    private InMemoryUsageLedger ledger;
    private MutableClock clock;
    private UsageSink sink;

    /** Creates the contract; subclasses supply the sink. */
    protected UsageSinkContract() {
    }

    /**
     * Creates the sink under test, writing into {@code ledger}. Called before every test.
     *
     * @param ledger where the sink must apply events
     * @param clock the clock the sink must use for {@code now}
     * @param zone the business zone
     * @return the sink
     */
    protected abstract UsageSink createSink(UsageLedger ledger, MutableClock clock, ZoneId zone);

    /** @return the sink of the running test */
    protected UsageSink sink() {
        return sink;
    }

    @BeforeEach
    void createSinkUnderTest() {
        ledger = InMemoryUsageLedger.create();
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
        sink = createSink(ledger, clock, SHANGHAI);
    }

    @AfterEach
    void closeSinkUnderTest() {
        sink.close();
    }

    private UsageEvent event(String requestId) {
        return UsageEvent.builder(requestId, USER).totalCost(usd("0.01")).occurredAt(clock.instant()).build();
    }

    @Test
    void submittedEventsAreStoredOnceFlushed() {
        sink.submit(event("a"));
        sink.submit(event("b"));
        sink.flush();
        assertThat(ledger.log().find(new UsageKey(USER, "a"))).isPresent();
        assertThat(ledger.log().find(new UsageKey(USER, "b"))).isPresent();
        assertThat(ledger.balances().find(USER)).contains(usd("-0.02"));
    }

    @Test
    void closeStoresEverythingSubmitted() {
        for (int i = 0; i < 20; i++) {
            sink.submit(event("r" + i));
        }
        sink.close();
        assertThat(ledger.log().totals(UsageFilter.all()).requests()).isEqualTo(20);
    }

    @Test
    void replayedEventsAreStoredOnce() {
        sink.submit(event("a"));
        sink.submit(event("a"));
        sink.flush();
        assertThat(ledger.log().totals(UsageFilter.all()).requests()).isEqualTo(1);
        assertThat(ledger.balances().find(USER)).contains(usd("-0.01"));
    }

    @Test
    void closeIsIdempotent() {
        sink.submit(event("a"));
        sink.close();
        sink.close();
        assertThat(ledger.log().find(new UsageKey(USER, "a"))).isPresent();
    }

    @Test
    void aClosedSinkRefusesEvents() {
        sink.close();
        assertThatThrownBy(() -> sink.submit(event("late"))).isInstanceOf(IllegalStateException.class);
        assertThat(ledger.log().find(new UsageKey(USER, "late"))).isEmpty();
    }

    @Test
    void concurrentSubmitsAreAllStored() {
        Race.run((thread, op) -> sink.submit(event("t" + thread + "-" + op)));
        sink.flush();
        assertThat(ledger.log().totals(UsageFilter.all()).requests()).isEqualTo((long) Race.THREADS * Race.OPS);
        assertThat(ledger.balances().find(USER)).contains(usd("-0.01").times((long) Race.THREADS * Race.OPS));
    }
}
