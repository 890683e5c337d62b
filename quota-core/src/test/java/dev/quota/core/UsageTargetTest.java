package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageTotals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where batches go: a ledger with the deployment's time, or a log. */
class UsageTargetTest {

    private static final Instant NOW = Instant.parse("2026-11-18T16:30:00Z");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void aLedgerTargetStoresWithTheClocksNowAndTheZoneAndCountsNewRows() {
        List<String> calls = new ArrayList<>();
        UsageLedger ledger = new UsageLedger() {
            @Override
            public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
                calls.add(event.requestId() + "@" + now + " " + zone);
                return !event.requestId().equals("seen");
            }

            @Override
            public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
                throw new AssertionError("the writer stores through store()");
            }
        };
        UsageTarget target = UsageTarget.ledger(ledger, new QuotaTime(Clock.fixed(NOW, ZoneOffset.UTC), SHANGHAI));
        UsageTarget.Written written = target.write(List.of(event("new"), event("seen")));
        assertThat(calls).containsExactly("new@" + NOW + " Asia/Shanghai", "seen@" + NOW + " Asia/Shanghai");
        assertThat(written.newRows()).isEqualTo(1);
        assertThat(written.outcomes().duplicates()).extracting(UsageEvent::requestId).containsExactly("seen");
    }

    @Test
    void aLogTargetSettlesEveryEventAsStoredAndCountsTheRowsTheLogAdded() {
        List<UsageEvent> appended = new ArrayList<>();
        UsageTarget target = UsageTarget.log(new AppendOnlyLog(appended));
        List<UsageEvent> batch = List.of(event("a"), event("b"));
        UsageTarget.Written written = target.write(batch);
        assertThat(appended).isEqualTo(batch);
        assertThat(written.outcomes().stored()).isEqualTo(batch);
        assertThat(written.newRows()).isEqualTo(1);
    }

    /** A log that held one of each batch's events already; only appending is used by the writer. */
    private record AppendOnlyLog(List<UsageEvent> appended) implements UsageLog {
        @Override
        public int appendAll(Collection<UsageEvent> events) {
            appended.addAll(events);
            return events.size() - 1;
        }

        @Override
        public boolean append(UsageEvent event) {
            return appendAll(List.of(event)) > 0;
        }

        @Override
        public Optional<UsageEvent> find(UsageKey key) {
            return appended.stream().filter(e -> UsageKey.of(e).equals(key)).findFirst();
        }

        @Override
        public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
            throw new AssertionError("the writer never lists");
        }

        @Override
        public UsageTotals totals(UsageFilter filter) {
            throw new AssertionError("the writer never sums");
        }
    }
}
