package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.usd;

import dev.quota.core.BillingGate;
import dev.quota.testkit.InMemoryQuota;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The life cycle the BillingGate tests share: a fresh in-memory stack before each test ({@link #stack()}, by
 * default {@link GateFixture#quota()} with {@link GateFixture#USER} holding 5 USD), and after it the injected
 * faults healed and every gate or writer the test opened closed, the last opened first.
 */
abstract class GateTest {

    /** The stack of the running test. */
    InMemoryQuota q;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @BeforeEach
    final void createStack() {
        q = stack();
    }

    /** @return the stack a test starts on; override for another one */
    InMemoryQuota stack() {
        InMemoryQuota quota = GateFixture.quota();
        quota.balances().set(USER, usd("5"));
        return quota;
    }

    /** @return a gate over {@link #q} as {@link GateFixture#gate} builds it, closed after the test */
    final BillingGate openGate() {
        return closeAfter(GateFixture.gate(q));
    }

    /** @return the gate the builder builds, closed after the test */
    final BillingGate open(BillingGate.Builder builder) {
        return closeAfter(builder.build());
    }

    /** @return {@code closeable}, closed after the test (closing twice is harmless for gates and writers) */
    final <T extends AutoCloseable> T closeAfter(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    @AfterEach
    final void closeAll() throws Exception {
        q.cacheFaults().heal();
        q.storeFaults().heal();
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }
}
