package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.QuotaListener;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The record path: cache then sink, all or nothing, followed until the sink settles; SQL is the judge. */
class RecorderTest {

    private final GateFixture f = new GateFixture();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private GateFixture.Parts parts;

    @AfterEach
    void close() {
        parts.close();
    }

    private Recorder recorder(UnaryOperator<BillingGate.Builder> extra) {
        parts = new GateFixture.Parts(f.config(b -> extra.apply(b.listener(new QuotaListener() {
            @Override
            public void onUsageRejected(UsageEvent event, String error) {
                rejected.add(event.requestId() + ": " + error);
            }
        }))));
        return parts.recorder;
    }

    @Test
    void usageGoesToTheCacheThenTheSinkAndStaysUnsettledUntilTheSinkSettlesIt() {
        Recorder recorder = recorder(b -> b);
        recorder.record(GateFixture.usage("r1", 1, "2"));
        assertThat(f.cache.calls).containsExactly("applyUsage r1");
        assertThat(f.sink.handed).singleElement().satisfies(h -> assertThat(h.synchronous()).isFalse());
        assertThat(parts.unsettled.quiet(1)).isFalse();
        f.sink.handed.get(0).progress().settled(UsageSink.Outcome.STORED);
        assertThat(parts.unsettled.quiet(1)).isTrue();
        assertThat(f.cache.calls).as("stored: nothing to evict").containsExactly("applyUsage r1");
    }

    @Test
    void aDuplicateTheCacheCountedIsEvictedAndARejectionReported() {
        Recorder recorder = recorder(b -> b);
        recorder.record(GateFixture.usage("r1", 1, "2"));
        f.sink.handed.get(0).progress().settled(UsageSink.Outcome.DUPLICATE);
        assertThat(f.cache.calls).contains("evictBalance 1");
        recorder.record(GateFixture.usage("r2", 1, "2"));
        UsageSink.Progress p = f.sink.handed.get(1).progress();
        p.rejected("bad row");
        p.settled(UsageSink.Outcome.REJECTED);
        assertThat(recorder.rejectedUsage()).isEqualTo(1);
        assertThat(rejected).containsExactly("r2: bad row");
    }

    @Test
    void whenTheCacheCannotTakeTheEventItIsStoredSynchronously() {
        Recorder recorder = recorder(b -> b);
        f.cache.down = true;
        recorder.record(GateFixture.usage("r1", 1, "2"));
        assertThat(f.sink.handed).singleElement().satisfies(h -> assertThat(h.synchronous()).isTrue());
        assertThat(recorder.synchronousStores()).isEqualTo(1);
        assertThat(parts.coherence.owed()).as("the missed entry is owed an eviction").isPositive();
        assertThat(parts.unsettled.quiet(1)).isTrue();
    }

    @Test
    void aFullSinkChangesNothing() {
        Recorder recorder = recorder(b -> b);
        f.sink.full = true;
        assertThatThrownBy(() -> recorder.record(GateFixture.usage("r1", 1, "2")))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(f.cache.calls).isEmpty();
        assertThat(parts.unsettled.quiet(1)).isTrue();
    }

    @Test
    void simpleModeLogsTheEventWithoutBilling() {
        Recorder recorder = recorder(b -> b.simpleMode(true));
        recorder.record(GateFixture.usage("r1", 1, "2"));
        assertThat(f.sink.handed.get(0).event().billingMode()).isEqualTo(BillingMode.NONE);
        assertThat(f.sink.handed.get(0).event().costs().actual()).isEqualTo(GateFixture.usage("r1", 1, "2").costs().actual());
    }
}
