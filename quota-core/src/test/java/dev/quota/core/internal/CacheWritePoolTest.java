package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.QuotaListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded write pool: refills are dropped when full, critical writes run on the caller, overruns interrupted. */
class CacheWritePoolTest {

    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<String> synchronous = new CopyOnWriteArrayList<>();
    private final QuotaListener listener = new QuotaListener() {
        @Override
        public void onCacheWriteDropped(String what) {
            dropped.add(what);
        }

        @Override
        public void onCacheWriteRanSynchronously(String what) {
            synchronous.add(what);
        }
    };
    private CacheWritePool pool;

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aFullQueueDropsRefillsAndRunsCriticalWritesOnTheCaller() throws Exception {
        pool = new CacheWritePool(1, 1, Duration.ofSeconds(10), Duration.ofSeconds(5), new StepClock(), listener);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.submitRefill("busy", () -> {
            running.countDown();
            await(release);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        pool.submitRefill("queued", () -> { });
        pool.submitRefill("third", () -> { });
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        pool.submitCritical("usage", () -> ranOn.set(Thread.currentThread()));
        assertThat(pool.dropped()).isEqualTo(1);
        assertThat(dropped).containsExactly("third");
        assertThat(pool.ranSynchronously()).isEqualTo(1);
        assertThat(synchronous).containsExactly("usage");
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        release.countDown();
        assertThat(pool.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aWriteOverrunningItsTimeoutIsInterruptedAndAFailingOneCounted() {
        pool = new CacheWritePool(2, 10, Duration.ofMillis(50), Duration.ofSeconds(5), new StepClock(), listener);
        CountDownLatch never = new CountDownLatch(1);
        pool.submitRefill("stuck", () -> await(never));
        pool.submitRefill("failing", () -> {
            throw new IllegalStateException("cache said no");
        });
        assertThat(pool.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pool.timedOut()).isEqualTo(1);
        assertThat(pool.failed()).isEqualTo(1);
        assertThat(pool.dropped()).isZero();
    }

    @Test
    void afterCloseRefillsAreDroppedAndCriticalWritesStillRun() {
        pool = new CacheWritePool(1, 10, Duration.ofSeconds(1), Duration.ofSeconds(5), new StepClock(), listener);
        pool.close();
        List<String> ran = new CopyOnWriteArrayList<>();
        pool.submitRefill("late refill", () -> ran.add("refill"));
        pool.submitCritical("late usage", () -> ran.add("usage"));
        assertThat(ran).containsExactly("usage");
        assertThat(pool.dropped()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
