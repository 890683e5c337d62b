package dev.quota.jdbc;

import dev.quota.core.BatchingUsageWriter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batching writer in front of the real ledger, while the database fails for a while. */
abstract class WriterDurabilitySuite extends TablesSuite {

    static final String PREFIX = "wd_";

    WriterDurabilitySuite() {
        super(PREFIX);
    }

    @Test
    void aTableThatIsTemporarilyGoneIsWrittenOnceItIsBack() {
        db().execute("ALTER TABLE wd_usage_log RENAME TO wd_usage_log_off");
        FlakyUsageLog log = new FlakyUsageLog(quota.usageLog(), 0, call -> {
            if (call == 3) {
                db().execute("ALTER TABLE wd_usage_log_off RENAME TO wd_usage_log");
            }
        });
        List<UsageEvent> events = Events.many("gone", 250);

        // One thread: the table comes back on the third call, so exactly the two calls before it fail (with
        // two threads, a second batch can be in flight when it comes back, and the count depends on timing).
        try (BatchingUsageWriter writer = Writers.fastRetries(log).threads(1).maxRetries(1).batchSize(100)
                .linger(Duration.ZERO).build()) {
            Writers.submitAndDrain(writer, events, 20);
            Writers.assertDrained(writer, 250, 2);
        }

        assertStoredOnce(events);
    }

    @Test
    void anOutageOfFiveCallsIsRetriedAcrossRoundsAndEveryEventStoredOnce() {
        FlakyUsageLog log = new FlakyUsageLog(quota.usageLog(), 5);
        List<UsageEvent> events = Events.many("outage", 40);

        try (BatchingUsageWriter writer = Writers.fastRetries(log).maxRetries(2).batchSize(10).linger(Duration.ZERO).build()) {
            Writers.submitAndDrain(writer, events, 20);
            Writers.assertDrained(writer, 40, 5);
            assertThat(writer.newlyStored()).isEqualTo(40);
        }

        assertStoredOnce(events);
    }

    @Test
    void closeWritesEverythingStillBuffered() {
        List<UsageEvent> events = Events.many("close", 2_500);
        BatchingUsageWriter writer = BatchingUsageWriter.builder(quota.usageLog()).capacity(5_000).batchSize(1_000)
                .linger(Duration.ofHours(1)).build();
        events.forEach(writer::submit);

        writer.close();

        assertThat(writer.written()).isEqualTo(2_500);
        assertThat(writer.pending()).isZero();
        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(2_500);
    }

    @Test
    void eventsSubmittedTwiceAreStoredOnce() {
        List<UsageEvent> events = Events.many("resubmit", 300);

        try (BatchingUsageWriter writer = BatchingUsageWriter.builder(quota.usageLog()).threads(3).batchSize(50)
                .linger(Duration.ZERO).build()) {
            events.forEach(writer::submit);
            events.forEach(writer::submit);
            writer.flush();
            assertThat(writer.written()).isEqualTo(600);
            assertThat(writer.newlyStored()).isEqualTo(300);
        }

        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(300);
    }

    /** Every event is in the table once, and the stored sums are the events' sums. */
    private void assertStoredOnce(List<UsageEvent> events) {
        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(events.size());
        assertThat(quota.usageLog().totals(UsageFilter.all())).isEqualTo(UsageTotals.of(events));
    }
}
