package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.BillingGate;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on embedded Redis + H2 with a batching writer that stores nothing until told: after the Redis entry
 * is lost, checks answered from SQL count the usage the writer still holds, and the entry is refilled, exactly,
 * only once the writer has stored it. The writer's settle callbacks fire after the SQL commit.
 */
class LaggingWriterTest {

    private static final long USER = 1;

    private DemoEnvironment env;
    private BillingGate gate;
    private int ids;

    @BeforeEach
    void start() {
        // Nothing is written before env.writer().flush(): a day of linger and room for everything.
        env = DemoEnvironment.start(MutableClock.startingAt("2026-11-16T02:00:00Z"),
                writer -> writer.linger(Duration.ofDays(1)).batchSize(10_000), OnlyExplicitFlush::new);
        gate = env.gate();
        env.sql().balances().set(USER, Money.parse("5"));
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aLostEntryIsCheckedWithTheUnstoredUsageAndRefilledOnlyOnceItIsStored() {
        gate.check(request());
        gate.flush();
        assertThat(env.cachedBalance(USER)).isEqualTo(Money.parse("5"));

        env.cache().billingCache().evict(EntryRef.balance(USER)); // e.g. lost in a Redis restart
        gate.record(usage("2"));
        gate.record(usage("2.5"));
        assertThat(gate.check(request()).allowed()).as("5 - 4.5 USD").isTrue();
        gate.record(usage("1"));
        assertThat(gate.check(request()).reason()).as("5 - 5.5 USD while SQL still says 5")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(env.sql().balances().find(USER)).contains(Money.parse("5"));

        env.dropDirtyMarkers();
        gate.check(request());
        gate.flush();
        assertThat(env.cachedBalance(USER)).as("nothing refilled while the writer holds usage").isNull();

        env.writer().flush();
        assertThat(env.sql().balances().find(USER)).contains(Money.parse("-0.5"));
        env.dropDirtyMarkers();
        assertThat(gate.check(request()).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        gate.flush();
        assertThat(env.cachedBalance(USER)).as("refilled from SQL once stored").isEqualTo(Money.parse("-0.5"));
    }

    private static CheckRequest request() {
        return CheckRequest.builder(USER).noGroupRpmOverride().build();
    }

    private UsageEvent usage(String cost) {
        return UsageEvent.builder("lag-" + ++ids, USER).billingMode(BillingMode.BALANCE).totalCost(Money.parse(cost))
                .occurredAt(env.clock().instant()).build();
    }

    /** The writer, except that the gate's flush() leaves it alone: only the test makes it catch up. */
    private static final class OnlyExplicitFlush implements UsageSink {
        private final UsageSink writer;

        OnlyExplicitFlush(UsageSink writer) {
            this.writer = writer;
        }

        @Override
        public Slot reserve() {
            return writer.reserve();
        }

        @Override
        public void flush() {
            // the writer lags: only the test flushes it
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
