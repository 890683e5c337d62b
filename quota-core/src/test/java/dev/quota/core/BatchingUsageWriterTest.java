package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageSink.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The parts put together, in quota-core (the writer's full specification runs against real ledgers in
 * quota-testkit's and quota-jdbc's writer tests).
 */
class BatchingUsageWriterTest {

    private final List<UsageEvent> stored = new CopyOnWriteArrayList<>();

    private BatchingUsageWriter writer() {
        return new BatchingUsageWriter.Builder(events -> {
            stored.addAll(events);
            return WriterFixture.allStored(events);
        }, null).linger(Duration.ofHours(1)).threads(2).build();
    }

    @Test
    void handedOverEventsAreWrittenByFlushAndCounted() {
        BatchingUsageWriter writer = writer();
        try {
            writer.submit(event("a"));
            writer.submit(event("b"));
            assertThat(writer.store(event("c"))).isEqualTo(Outcome.STORED);
            writer.flush();
            assertThat(stored).extracting(UsageEvent::requestId).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(writer.submitted()).isEqualTo(3);
            assertThat(writer.written()).isEqualTo(3);
            assertThat(writer.newlyStored()).isEqualTo(3);
            assertThat(writer.pending()).isZero();
            assertThat(writer.blockedSubmitters()).isZero();
            assertThat(writer.time()).isEmpty();
        } finally {
            writer.close();
        }
    }

    @Test
    void closeWritesWhatLingersAndThenRefusesNewEvents() {
        BatchingUsageWriter writer = writer();
        writer.submit(event("a"));
        writer.close();
        writer.close();
        assertThat(stored).hasSize(1);
        assertThatThrownBy(writer::reserve).isInstanceOf(IllegalStateException.class);
        assertThat(writer.abandoned()).isZero();
    }

    @Test
    void everyEventOfAUserIsWrittenByOneThreadInTheOrderHandedOverAndNoTwoBatchesShareAUserAtOnce()
            throws Exception {
        int submitters = 4;
        int usersEach = 25;
        int eventsPerUser = 20;
        Map<Long, List<String>> written = new HashMap<>();
        Map<Long, Set<String>> threadsOfUser = new HashMap<>();
        Set<Long> inFlight = ConcurrentHashMap.newKeySet();
        List<Long> overlaps = new CopyOnWriteArrayList<>();
        BatchingUsageWriter writer = new BatchingUsageWriter.Builder(events -> {
            Set<Long> users = new HashSet<>();
            events.forEach(e -> users.add(e.userId()));
            for (long user : users) {
                if (!inFlight.add(user)) {
                    overlaps.add(user);
                }
            }
            synchronized (written) {
                for (UsageEvent e : events) {
                    written.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.requestId());
                    threadsOfUser.computeIfAbsent(e.userId(), u -> new HashSet<>())
                            .add(Thread.currentThread().getName());
                }
            }
            Thread.yield();
            inFlight.removeAll(users);
            return WriterFixture.allStored(events);
        }, null).threads(3).batchSize(7).linger(Duration.ofMillis(1)).build();
        CyclicBarrier start = new CyclicBarrier(submitters);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < submitters; t++) {
                long firstUser = 1 + (long) t * usersEach;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int n = 0; n < eventsPerUser; n++) {
                        for (long user = firstUser; user < firstUser + usersEach; user++) {
                            writer.submit(UsageEvent.builder(user + "-" + n, user).occurredAt(WriterFixture.AT)
                                    .build());
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            writer.flush();
        } finally {
            writer.close();
        }

        assertThat(overlaps).isEmpty();
        assertThat(written).hasSize(submitters * usersEach);
        written.forEach((user, ids) -> {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < eventsPerUser; n++) {
                expected.add(user + "-" + n);
            }
            assertThat(ids).as("user %d", user).isEqualTo(expected);
            assertThat(threadsOfUser.get(user)).as("threads of user %d", user).hasSize(1);
        });
        assertThat(writer.written()).isEqualTo((long) submitters * usersEach * eventsPerUser);
    }
}
