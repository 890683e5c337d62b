package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageSink.Outcome;
import dev.quota.core.spi.UsageSink.Progress;
import org.junit.jupiter.api.Test;

/** One event on its way: what its progress and its waiting caller are told. */
class PendingUsageTest {

    private final ToldProgress told = new ToldProgress();

    @Test
    void aRejectedEventTellsTheErrorBeforeTheOutcome() {
        PendingUsage.async(event("r"), told).settle(Outcome.REJECTED, "model too long", null);
        assertThat(told.calls).containsExactly("rejected: model too long", "REJECTED");
    }

    @Test
    void aWaitingCallerGetsTheOutcome() {
        PendingUsage pending = PendingUsage.sync(event("r"), told);
        assertThat(pending.synchronous()).isTrue();
        pending.settle(Outcome.DUPLICATE, null, null);
        assertThat(pending.await()).isEqualTo(Outcome.DUPLICATE);
        assertThat(told.calls).containsExactly("DUPLICATE");
    }

    @Test
    void aWaitingCallerOfAnAbandonedEventGetsTheFailure() {
        PendingUsage pending = PendingUsage.sync(event("r"), told);
        BackendUnavailableException failure = new BackendUnavailableException("db down");
        pending.settle(Outcome.ABANDONED, null, failure);
        assertThatThrownBy(pending::await).isSameAs(failure);
        assertThat(told.calls).containsExactly("ABANDONED");
    }

    @Test
    void aFailingCallbackIsLoggedAndTheCallerStillAnswered() {
        Progress throwing = outcome -> {
            throw new IllegalStateException("callback bug");
        };
        PendingUsage pending = PendingUsage.sync(event("r"), throwing);
        pending.tellCommitting();
        pending.settle(Outcome.STORED, null, null);
        assertThat(pending.await()).isEqualTo(Outcome.STORED);
    }

    @Test
    void anInterruptedCallerStillGetsTheOutcomeAndKeepsItsFlag() throws Exception {
        PendingUsage pending = PendingUsage.sync(event("r"), told);
        Thread settler = new Thread(() -> pending.settle(Outcome.STORED, null, null));
        Thread.currentThread().interrupt();
        settler.start();
        try {
            assertThat(pending.await()).isEqualTo(Outcome.STORED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
            settler.join();
        }
    }

    @Test
    void committingIsToldOnce() {
        PendingUsage pending = PendingUsage.async(event("r"), told);
        pending.tellCommitting();
        pending.tellCommitting();
        pending.settle(Outcome.STORED, null, null);
        assertThat(told.calls).containsExactly("committing", "STORED");
    }
}
