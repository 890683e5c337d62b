package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.decision.BackendUnavailableException;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.UsageEvent;
import dev.quota.testkit.InMemoryBillingCache;
import dev.quota.testkit.InMemoryQuota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refills never write a store value that lacks usage this gate recorded: while a user has usage on its way to
 * the store (handed to the sink, not stored yet), no cache entry of that user is refilled, however long the
 * writer lags behind the cache's time-based dirty markers.
 */
class BillingGateRefillTest {

    /** Past the in-memory cache's dirty TTL: the writer lags longer than the dirty markers last. */
    private static final Duration LAG = InMemoryBillingCache.DEFAULT_DIRTY_TTL.plusSeconds(1);

    private InMemoryQuota q;
    private LaggingSink sink;
    private BillingGate gate;

    @BeforeEach
    void setUp() {
        q = GateFixture.quota();
        q.balances().set(USER, usd("5"));
        sink = new LaggingSink(q.usageSink());
    }

    @AfterEach
    void tearDown() {
        if (gate != null) {
            gate.close();
        }
    }

    @Test
    void aMissWhileUsageIsOnItsWayToTheStoreReadsTheStoreButDoesNotRefill() {
        gate = q.gateBuilder().usageSink(sink).build();
        gate.record(usage(q, "2").build()); // the cache has no entry yet: nothing to deduct, the store lags
        q.clock().advance(LAG);

        assertThat(gate.check(request().build()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("5 USD from the lagging store is not cached").isEmpty();

        sink.catchUp();
        assertThat(q.balances().find(USER)).contains(usd("3"));
        assertThat(gate.check(request().build()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("refilled once the store has it").contains(usd("3"));
    }

    @Test
    void aStoreReadThatBeganBeforeUsageWasRecordedIsNotWrittenAfterIt() throws Exception {
        gate = q.gateBuilder().usageSink(sink).loadTimeout(Duration.ofSeconds(30)).build();
        q.storeFaults().hang();
        Thread checker = new Thread(() -> gate.check(request().build()));
        checker.start();
        assertThat(q.storeFaults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        // The check's store read (5 USD) is under way. Usage arrives, and the writer lags past the dirty marker:
        gate.record(usage(q, "2").build());
        q.clock().advance(LAG);
        q.storeFaults().heal();
        checker.join(TimeUnit.SECONDS.toMillis(30));
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("the read that lacks the 2 USD is not cached").isEmpty();

        sink.catchUp();
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("3"));
    }

    @Test
    void usageTheSinkRefusedDoesNotHoldBackRefills() {
        gate = q.gateBuilder().usageSink(sink).build();
        sink.refuseNext = true;
        assertThatThrownBy(() -> gate.record(usage(q, "2").build())).isInstanceOf(BackendUnavailableException.class);
        q.clock().advance(LAG);

        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));
    }

    @Test
    void settledUsageOfOneUserDoesNotHoldBackAnother() {
        long other = USER + 1;
        q.balances().set(other, usd("7"));
        gate = q.gateBuilder().usageSink(sink).build();
        gate.record(usage(q, "2").build());
        q.clock().advance(LAG);

        gate.check(CheckRequest.builder(other).noGroupRpmOverride().build());
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(other)).contains(usd("7"));
        assertThat(q.cache().cachedBalance(USER)).isEmpty();
    }

    /** A sink whose writes lag until {@link #catchUp()}: events and their settle callbacks are held. */
    private static final class LaggingSink implements UsageSink {
        private final UsageSink store;
        private final List<UsageEvent> held = new ArrayList<>();
        private final List<Runnable> callbacks = new ArrayList<>();
        volatile boolean refuseNext;

        LaggingSink(UsageSink store) {
            this.store = store;
        }

        @Override
        public void submit(UsageEvent event) {
            submit(event, () -> { });
        }

        @Override
        public synchronized void submit(UsageEvent event, Runnable onSettled) {
            if (refuseNext) {
                refuseNext = false;
                throw new BackendUnavailableException("usage buffer full");
            }
            held.add(event);
            callbacks.add(onSettled);
        }

        synchronized void catchUp() {
            held.forEach(store::submit);
            callbacks.forEach(Runnable::run);
            held.clear();
            callbacks.clear();
        }

        @Override
        public void flush() {
            // lagging: flush() does not make the writer catch up (catchUp() does)
        }

        @Override
        public void close() {
            catchUp();
        }
    }
}
