package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.UsageSink.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch: its events in order, its lowest queue position, its synchronous events taken out after a failure. */
class UsageBatchTest {

    private static PendingUsage at(long seq, PendingUsage e) {
        e.seq = seq;
        return e;
    }

    @Test
    void itKnowsItsEventsInOrderAndItsLowestPosition() {
        UsageBatch batch = new UsageBatch(new ArrayList<>(List.of(
                at(7, PendingUsage.async(event("a"), Progress.NONE)),
                at(5, PendingUsage.async(event("b"), Progress.NONE)))));
        assertThat(batch.events()).extracting(e -> e.requestId()).containsExactly("a", "b");
        assertThat(batch.minSeq()).isEqualTo(5);
        assertThat(new UsageBatch(new ArrayList<>()).minSeq()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theSynchronousEventsAreTakenOutAndTheRestStays() {
        PendingUsage async = PendingUsage.async(event("a"), Progress.NONE);
        PendingUsage sync = PendingUsage.sync(event("b"), Progress.NONE);
        UsageBatch batch = new UsageBatch(new ArrayList<>(List.of(async, sync)));
        assertThat(batch.takeSynchronous()).containsExactly(sync);
        assertThat(batch.entries).containsExactly(async);
    }

    @Test
    void everyEventIsToldCommittingOnceAcrossRounds() {
        ToldProgress told = new ToldProgress();
        UsageBatch batch = new UsageBatch(new ArrayList<>(List.of(PendingUsage.async(event("a"), told))));
        batch.tellCommitting();
        batch.tellCommitting();
        assertThat(told.calls).containsExactly("committing");
    }
}
