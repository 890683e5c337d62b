package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private final Faults faults = new Faults();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        faults.heal();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aHealthyFaultsLetsEveryCallThrough() {
        faults.beforeCall("op");
        faults.beforeCall("op");
        assertThat(faults.injectedFailures()).isZero();
        assertThat(faults.calls("op")).isEqualTo(2);
    }

    @Test
    void failNextFailsExactlyThatManyCalls() {
        faults.failNext(2);
        assertThatThrownBy(() -> faults.beforeCall("op")).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("op");
        assertThatThrownBy(() -> faults.beforeCall("op")).isInstanceOf(BackendUnavailableException.class);
        faults.beforeCall("op");
        assertThat(faults.injectedFailures()).isEqualTo(2);
        assertThat(faults.calls("op")).isEqualTo(3);
    }

    @Test
    void failNextRejectsNegativeCounts() {
        assertThatThrownBy(() -> faults.failNext(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failAlwaysFailsUntilHealed() {
        faults.failAlways();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> faults.beforeCall("op")).isInstanceOf(BackendUnavailableException.class);
        }
        faults.heal();
        faults.beforeCall("op");
        assertThat(faults.injectedFailures()).isEqualTo(5);
    }

    @Test
    void healClearsPendingFailures() {
        faults.failNext(3);
        faults.heal();
        faults.beforeCall("op");
        assertThat(faults.injectedFailures()).isZero();
    }

    @Test
    void hangBlocksCallsUntilReleased() throws Exception {
        faults.hang();
        Future<?> call = pool.submit(() -> faults.beforeCall("op"));
        assertThat(faults.awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(call.isDone()).isFalse();
        faults.release();
        call.get(30, TimeUnit.SECONDS);
        assertThat(faults.hungCalls()).isZero();
        faults.beforeCall("op"); // no longer hanging
    }

    @Test
    void aHungCallFailsAfterReleaseWhenAFailureIsAlsoSet() throws Exception {
        faults.hang().failAlways();
        Future<?> call = pool.submit(() -> faults.beforeCall("op"));
        assertThat(faults.awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        faults.release();
        assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void anInterruptedHungCallThrowsAndKeepsTheInterruptFlag() throws Exception {
        faults.hang();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        pool.submit(() -> {
            caller.set(Thread.currentThread());
            try {
                faults.beforeCall("op");
                interrupted.completeExceptionally(new AssertionError("call returned normally"));
            } catch (BackendUnavailableException e) {
                interrupted.complete(Thread.currentThread().isInterrupted());
            }
        });
        assertThat(faults.awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        caller.get().interrupt();
        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(faults.hungCalls()).isZero();
    }

    @Test
    void healReleasesEveryHungCall() throws Exception {
        faults.hang();
        Future<?> a = pool.submit(() -> faults.beforeCall("a"));
        Future<?> b = pool.submit(() -> faults.beforeCall("b"));
        assertThat(faults.awaitHungCalls(2, 30, TimeUnit.SECONDS)).isTrue();
        faults.heal();
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
        assertThat(faults.calls()).containsEntry("a", 1L).containsEntry("b", 1L);
    }

    @Test
    void awaitHungCallsGivesUpWhenNothingHangs() throws InterruptedException {
        assertThat(faults.awaitHungCalls(1, 0, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void resetCallsForgetsTheCounts() {
        faults.beforeCall("op");
        faults.resetCalls();
        assertThat(faults.calls("op")).isZero();
        assertThat(faults.calls()).isEmpty();
    }
}
