package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.InvalidDataException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent loads of one key run once; failures and timeouts reach every caller as outages. */
class SingleFlightTest {

    private final ExecutorService loaders = Executors.newCachedThreadPool(Threads.daemon("test-load"));
    private final ExecutorService callers = Executors.newCachedThreadPool(Threads.daemon("test-caller"));

    @AfterEach
    void stop() {
        loaders.shutdownNow();
        callers.shutdownNow();
    }

    @Test
    void concurrentCallersOfOneKeyShareOneLoad() throws Exception {
        SingleFlight<String> flight = new SingleFlight<>(loaders, Duration.ofSeconds(10));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> flight.load("k", () -> {
            loads.incrementAndGet();
            started.countDown();
            await(release);
            return 7;
        }), callers);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(flight.inFlight()).isEqualTo(1);
        CompletableFuture<Integer> second = new CompletableFuture<>();
        Thread joiner = new Thread(() -> second.complete(flight.load("k", () -> loads.incrementAndGet() * 100)));
        joiner.setDaemon(true);
        joiner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (joiner.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.yield(); // bounded: until the second caller waits on the running load
        }
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(loads.get()).isEqualTo(1);
        assertThat(flight.inFlight()).isZero();
        assertThat(flight.load("k", () -> 8)).as("a finished load is never joined").isEqualTo(8);
    }

    @Test
    void aFailedLoadIsAnOutageButUndecodableDataStaysItself() {
        SingleFlight<String> flight = new SingleFlight<>(loaders, Duration.ofSeconds(10));
        assertThatThrownBy(() -> flight.load("a", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("boom");
        assertThatThrownBy(() -> flight.load("b", () -> {
            throw new InvalidDataException("bad row");
        })).isInstanceOf(InvalidDataException.class);
        assertThat(flight.inFlight()).isZero();
    }

    @Test
    void aCallerStopsWaitingAfterTheTimeoutWhileTheLoadRunsOn() {
        SingleFlight<String> flight = new SingleFlight<>(loaders, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        assertThatThrownBy(() -> flight.load("slow", () -> {
            await(release);
            return 1;
        })).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("timed out");
        assertThat(flight.inFlight()).as("the detached load still runs").isEqualTo(1);
        release.countDown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
