package dev.quota.faults;

import static dev.quota.faults.support.Scenario.assertBooksExact;
import static dev.quota.faults.support.Scenario.assertCacheAgreesWithSql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.Load;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * (e) 10,000 request ids recorded, then replayed by many threads before and after redis-server was killed and
 * restarted empty (and the entries refilled from SQL): 0 double charges, in SQL and in Redis after the
 * writers drained.
 */
class ReplayStormFaultTest {

    private static final long[] USERS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    private static final int IDS = 10_000;
    private static final int THREADS = 4;

    @Test
    void tenThousandIdsReplayedAcrossARedisRestartAreChargedOnce() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             Gateway gw = Gateway.settings(redis.port(), Scenario.h2Url()).start()) {
            gw.installSchema();
            Scenario.fund(gw, USERS);
            List<UsageEvent> events = new ArrayList<>(IDS);
            Instant at = Instant.now();
            for (int i = 0; i < IDS; i++) {
                events.add(Load.event("e", i % THREADS, i, USERS[i % USERS.length], at));
            }
            Map<UsageKey, Long> originals = new ConcurrentHashMap<>();
            events.forEach(e -> originals.put(UsageKey.of(e), e.costs().total().nanos()));

            assertThat(recordAll(gw.gate(), events)).as("refused records").isZero();
            gw.gate().flush();
            assertThat(recordAll(gw.gate(), events)).as("refused replays").isZero(); // replays, markers present

            redis.kill();
            redis.restart(); // empty: every idempotency marker and entry is gone
            Scenario.warm(gw, USERS); // entries refilled from SQL, as traffic would
            assertThat(recordAll(gw.gate(), events)).as("refused replays").isZero(); // the storm after the restart

            Scenario.heal(gw, USERS);
            assertBooksExact(gw, originals, USERS);
            assertCacheAgreesWithSql(gw, USERS);
        }
    }

    /** Records every event from {@link #THREADS} threads released together; returns how many were refused. */
    private static long recordAll(BillingGate gate, List<UsageEvent> events) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong refused = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = thread; i < events.size(); i += THREADS) {
                        try {
                            gate.record(events.get(i));
                        } catch (BackendUnavailableException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            return refused.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
