package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.InMemoryQuota;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Usage the store committed but the sink has not reported settled yet is counted once: a store read that
 * overlapped the commit is read again once the commit is settled, and answered conservatively (erring on
 * denying) only when it is not settled within the load timeout.
 */
class BillingGateCommitOverlapTest extends GateTest {

    private CommitThenPauseSink sink;
    private BillingGate gate;

    @BeforeEach
    void setUp() {
        sink = new CommitThenPauseSink(q);
    }

    @AfterEach
    void settle() {
        sink.settleAll();
    }

    @Test
    void usageStoredButNotYetSettledIsCountedOnce() throws Exception {
        gate = open(q.gateBuilder().usageSink(sink).loadTimeout(Duration.ofSeconds(30)));
        gate.record(usage(q, "3").build()); // cold cache: the entry is dirty, checks read the store
        assertThat(q.balances().find(USER)).as("committed").contains(usd("2"));

        AtomicReference<Decision> decision = new AtomicReference<>();
        Thread checker = new Thread(() -> decision.set(gate.check(request().build())));
        checker.start();
        assertThat(Blocked.awaitWaitingIn(checker, "UnsettledUsage", "awaitCommits"))
                .as("the check waits for the commit it overlapped").isTrue();
        sink.settleAll();
        checker.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(decision.get().allowed()).as("5 - 3 USD, not 5 - 3 - 3").isTrue();
    }

    @Test
    void aCommitNotSettledWithinTheLoadTimeoutIsAnsweredConservatively() {
        gate = open(q.gateBuilder().usageSink(sink).loadTimeout(Duration.ofMillis(200)));
        gate.record(usage(q, "3").build());
        assertThat(gate.check(request().build()).reason()).as("counted twice: errs on denying")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        sink.settleAll();
        assertThat(gate.check(request().build()).allowed()).isTrue();
    }

    /** Commits each event to the in-memory ledger at once and reports it settled only on {@link #settleAll()}. */
    private static final class CommitThenPauseSink implements UsageSink {
        private final InMemoryQuota q;
        private final List<Runnable> settles = new ArrayList<>();

        CommitThenPauseSink(InMemoryQuota q) {
            this.q = q;
        }

        @Override
        public Slot reserve() {
            return new Slot() {
                @Override
                public void submit(UsageEvent event, Progress progress) {
                    progress.committing();
                    q.ledger().apply(event, Instant.ofEpochMilli(q.clock().millis()), q.zone());
                    synchronized (settles) {
                        settles.add(() -> progress.settled(Outcome.STORED));
                    }
                }

                @Override
                public Outcome store(UsageEvent event, Progress progress) {
                    progress.committing();
                    q.ledger().apply(event, Instant.ofEpochMilli(q.clock().millis()), q.zone());
                    progress.settled(Outcome.STORED);
                    return Outcome.STORED;
                }

                @Override
                public void cancel() {
                }
            };
        }

        void settleAll() {
            List<Runnable> due;
            synchronized (settles) {
                due = new ArrayList<>(settles);
                settles.clear();
            }
            due.forEach(Runnable::run);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            settleAll();
        }
    }
}
