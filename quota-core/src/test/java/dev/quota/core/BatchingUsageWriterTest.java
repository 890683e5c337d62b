package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.spi.UsageSink.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
}
