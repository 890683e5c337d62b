package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.RpmCounter;
import dev.quota.redis.support.EmbeddedRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Script calls with {@link RedisQuotaOptions.Builder#pipelining} on, from many threads at once, on an embedded
 * server each test owns (so it may pause, stop and restart it): every caller gets its own reply, an error reply
 * fails only its caller, a server that dies fails the calls in flight and serves again once back, and closing the
 * adapter fails waiting callers and ends its threads.
 */
class PipelinedScriptCallsTest {

    private static final int THREADS = 16;
    private static final Instant BUCKET = QuotaWindows.RPM.bucketStart(NOW);

    private EmbeddedRedis server;
    private RedisQuota quota;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        server = EmbeddedRedis.start();
        quota = RedisQuota.create(server.client(),
                RedisQuotaOptions.builder().keyPrefix(server.newPrefix()).pipelining(2).build());
        pool = Executors.newFixedThreadPool(THREADS + 1);
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        quota.close();
        server.close();
    }

    @Test
    void manyThreadsCallingAtOnceEachGetTheirOwnReplies() throws Exception {
        BillingCache cache = quota.billingCache();
        RpmCounter counter = quota.rpmCounter();
        int calls = 300;
        for (int t = 1; t <= THREADS; t++) {
            // each user's counter starts in a range of its own and each balance differs, so a reply that reached
            // the wrong caller could not pass for the right one
            server.client().set(rpmKey(t), Long.toString(t * 1_000_000L));
            assertThat(cache.put(CacheEntry.of(t, usd(Integer.toString(t))))).isTrue();
        }

        List<Integer> done = runTogether(THREADS, t -> {
            long user = t + 1;
            for (int i = 1; i <= calls; i++) {
                assertThat(counter.increment(user, null, BUCKET)).isEqualTo(user * 1_000_000L + i);
                assertThat(cache.check(check(balanceRequest(user, null, null), rpm(null, null))).balance())
                        .isEqualTo(usd(Long.toString(user)));
            }
            return calls;
        });

        assertThat(done).hasSize(THREADS).containsOnly(calls);
    }

    @Test
    void anErrorReplyFailsOnlyItsOwnCaller() throws Exception {
        RpmCounter counter = quota.rpmCounter();
        long broken = 99;
        server.client().set(rpmKey(broken), "not a number");
        int calls = 200;

        List<Integer> done = runTogether(THREADS, t -> {
            if (t == 0) {
                for (int i = 0; i < calls; i++) {
                    assertThatThrownBy(() -> counter.increment(broken, null, BUCKET))
                            .isInstanceOf(BackendUnavailableException.class)
                            .hasCauseExactlyInstanceOf(JedisDataException.class);
                }
                return calls;
            }
            for (int i = 1; i <= calls; i++) {
                assertThat(counter.increment(t, null, BUCKET)).isEqualTo(i);
            }
            return calls;
        });

        assertThat(done).containsOnly(calls);
        assertThat(server.client().get(rpmKey(broken))).isEqualTo("not a number");
    }

    @Test
    void aServerKilledUnderLoadFailsTheCallsInFlightAndCallsSucceedAgainAfterItsRestart() throws Exception {
        RpmCounter counter = quota.rpmCounter();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long user = t + 1;
            load.add(pool.submit(() -> {
                // bounded: the test stops the loop; the bound only guards against a hang
                for (int i = 0; i < 1_000_000 && running.get(); i++) {
                    try {
                        counter.increment(user, null, BUCKET);
                        served.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        waitUntil(() -> served.get() > 2_000);

        server.stopServer();
        waitUntil(() -> failures.size() > THREADS);
        running.set(false);
        for (Future<?> f : load) {
            f.get(30, TimeUnit.SECONDS);
        }

        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(BackendUnavailableException.class)
                .hasCauseInstanceOf(JedisConnectionException.class));

        server.restart();

        // the restarted server is empty: every counter starts again, each caller counts its own
        List<Integer> done = runTogether(THREADS, t -> {
            for (int i = 1; i <= 50; i++) {
                assertThat(counter.increment(t + 1, null, BUCKET)).isEqualTo(i);
            }
            return 50;
        });
        assertThat(done).containsOnly(50);
    }

    @Test
    void closingTheAdapterFailsWaitingCallersAndEndsItsThreads() throws Exception {
        // one connection, so that it is open before the pause below (a connection opened during the pause would
        // wait for its end, and close() cannot cut a connect short)
        quota.close();
        quota = RedisQuota.create(server.client(),
                RedisQuotaOptions.builder().keyPrefix(server.newPrefix()).pipelining(1).build());
        RpmCounter counter = quota.rpmCounter();
        Set<Thread> before = pipelineThreads();
        assertThat(counter.increment(1, null, BUCKET)).isEqualTo(1);
        Set<Thread> started = pipelineThreads();
        started.removeAll(before);
        assertThat(started).hasSize(1).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());

        // the server holds every command for two seconds: the callers below wait for their replies
        server.client().sendCommand(Protocol.Command.CLIENT, "PAUSE", "2000", "ALL");
        CountDownLatch calling = new CountDownLatch(THREADS);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        List<Future<Throwable>> waiting = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long user = t + 2;
            waiting.add(pool.submit(() -> {
                callers.add(Thread.currentThread());
                calling.countDown();
                try {
                    counter.increment(user, null, BUCKET);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }));
        }
        calling.await();
        // every caller has handed its command over and waits (bounded) for its reply
        waitUntil(() -> callers.stream().allMatch(c -> c.getState() == Thread.State.TIMED_WAITING));

        long closing = System.nanoTime();
        quota.close();
        for (Future<Throwable> w : waiting) {
            assertThat(w.get(1, TimeUnit.SECONDS)).isInstanceOf(BackendUnavailableException.class)
                    .hasCauseInstanceOf(JedisConnectionException.class);
        }

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing)).as("failed before the pause ended")
                .isLessThan(1_500);
        assertThat(started).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> counter.increment(1, null, BUCKET)).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("closed");
        quota.close();
    }

    // ------------------------------------------------------------------ helpers

    private String rpmKey(long user) {
        return quota.keys().rpmUser(user, BUCKET.toEpochMilli());
    }

    /** Runs {@code work} on {@code threads} threads released together; returns their results. */
    private List<Integer> runTogether(int threads, ThreadWork work) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Callable<Integer> c = () -> {
                go.await();
                return work.run(index);
            };
            futures.add(pool.submit(c));
        }
        go.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private static Set<Thread> pipelineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("quota-redis-pipeline-"))
                .collect(Collectors.toSet());
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** The work of one thread of {@link #runTogether}. */
    @FunctionalInterface
    private interface ThreadWork {
        int run(int thread) throws Exception;
    }
}
