package dev.quota.testkit.stats;

import static dev.quota.testkit.stats.StatsData.EVENTS;
import static dev.quota.testkit.stats.StatsData.NOW;
import static dev.quota.testkit.stats.StatsData.SHANGHAI;
import static dev.quota.testkit.stats.StatsData.local;
import static dev.quota.testkit.stats.StatsData.m;
import static dev.quota.testkit.stats.StatsData.tiny;
import static dev.quota.testkit.stats.StatsData.tinyPerUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.stats.HourlyRollups;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.ForwardingUsageLog;
import dev.quota.testkit.InMemoryRollupStore;
import dev.quota.testkit.InMemoryUsageLog;
import dev.quota.testkit.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HourlyRollups#rebuild} on the in-memory fakes, against hand-computed hourly sums of {@link StatsData}. */
class HourlyRollupsTest {

    private static final Instant FROM = local("2025-03-09T00:00:00");
    private static final Instant TO = local("2025-03-11T00:00:00");

    /** Per (hour, user, model), ordered as the store returns them; e6 (03-11) is outside [FROM, TO). */
    private static final List<HourlyUsage> EXPECTED = List.of(
            new HourlyUsage(local("2025-03-09T10:00:00"), 1, "claude-a", 1, 150, m("0.8")),
            new HourlyUsage(local("2025-03-09T23:00:00"), 1, "claude-b", 1, 330, m("2.0")),
            new HourlyUsage(local("2025-03-09T23:00:00"), 2, "claude-a", 1, 20, m("0.5")),
            new HourlyUsage(local("2025-03-10T00:00:00"), 1, "claude-a", 2, 340, m("1.75")),
            new HourlyUsage(local("2025-03-10T00:00:00"), 2, "", 1, 2, m("0.01")),
            new HourlyUsage(local("2025-03-10T00:00:00"), 2, "claude-b", 1, 100, m("1.0")));

    private InMemoryQuota quota;
    private HourlyRollups rollups;

    @BeforeEach
    void seed() {
        quota = InMemoryQuota.create(MutableClock.at(NOW, SHANGHAI), SHANGHAI);
        quota.usageLog().appendAll(EVENTS);
        rollups = HourlyRollups.create(quota.usageLog(), quota.rollups(), SHANGHAI);
    }

    @Test
    void rebuildWritesTheSumsPerHourUserAndModel() {
        int written = rollups.rebuild(FROM, TO);

        assertThat(written).isEqualTo(EXPECTED.size());
        assertThat(quota.rollups().find(null, FROM, TO)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void rebuildTwiceGivesTheSameRows() {
        rollups.rebuild(FROM, TO);
        int again = rollups.rebuild(FROM, TO);

        assertThat(again).isEqualTo(EXPECTED.size());
        assertThat(quota.rollups().find(null, FROM, TO)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void rebuildReplacesStaleRowsInTheRangeAndKeepsRowsOutsideIt() {
        HourlyUsage staleInside = new HourlyUsage(local("2025-03-09T05:00:00"), 9, "x", 7, 7, m("7"));
        HourlyUsage outside = new HourlyUsage(local("2025-03-11T01:00:00"), 9, "x", 7, 7, m("7"));
        HourlyUsage overlapping = new HourlyUsage(local("2025-03-09T10:00:00"), 1, "claude-a", 5, 5, m("5"));
        quota.rollups().add(List.of(staleInside, outside, overlapping));

        rollups.rebuild(FROM, TO);

        assertThat(quota.rollups().find(null, FROM, TO)).containsExactlyElementsOf(EXPECTED);
        assertThat(quota.rollups().find(null, TO, TO.plusSeconds(86_400))).containsExactly(outside);
    }

    @Test
    void rebuildOfASubrangeOnlyTouchesItsHours() {
        Instant from = local("2025-03-09T23:00:00");
        Instant to = local("2025-03-10T00:00:00");

        assertThat(rollups.rebuild(from, to)).isEqualTo(2);

        assertThat(quota.rollups().find(null, FROM, TO)).containsExactly(EXPECTED.get(1), EXPECTED.get(2));
    }

    @Test
    void rebuildOfAnEmptyRangeWritesNothing() {
        assertThat(rollups.rebuild(FROM, FROM)).isZero();
        assertThat(rollups.rebuild(local("2025-03-01T00:00:00"), local("2025-03-02T00:00:00"))).isZero();
        assertThat(quota.rollups().find(null, Instant.EPOCH, TO.plusSeconds(86_400))).isEmpty();
    }

    @Test
    void rebuildWritesInBatchesOfAtMostOneThousand() {
        List<Integer> batches = new ArrayList<>();
        InMemoryRollupStore store = new InMemoryRollupStore();
        RollupStore recording = new RollupStore() {
            @Override
            public void add(Collection<HourlyUsage> r) {
                batches.add(r.size());
                store.add(r);
            }

            @Override
            public List<HourlyUsage> find(Long userId, Instant from, Instant to) {
                return store.find(userId, from, to);
            }

            @Override
            public int deleteRange(Instant from, Instant to) {
                return store.deleteRange(from, to);
            }
        };
        InMemoryQuota q = InMemoryQuota.create(MutableClock.at(NOW, SHANGHAI), SHANGHAI);
        Instant noon = local("2025-03-09T12:00:00");
        q.usageLog().appendAll(tinyPerUser(2500, noon));

        int written = HourlyRollups.create(q.usageLog(), recording, SHANGHAI).rebuild(FROM, TO);

        assertThat(written).isEqualTo(2500);
        assertThat(batches).allSatisfy(size -> assertThat(size).isBetween(1, HourlyRollups.BATCH_SIZE));
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2500);
        List<HourlyUsage> rows = store.find(null, FROM, TO);
        assertThat(rows).hasSize(2500).allSatisfy(r -> {
            assertThat(r.hour()).isEqualTo(noon);
            assertThat(r.requests()).isEqualTo(1);
            assertThat(r.cost()).isEqualTo(Money.ofNanos(1));
        });
    }

    @Test
    void rebuildCountsEachEventOnceWhenTheLedgerGrowsDuringThePass() {
        InMemoryUsageLog ledger = new InMemoryUsageLog();
        Instant noon = local("2025-03-09T12:00:00");
        List<UsageEvent> many = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(tiny("m" + i, noon.plusMillis(i), 1));
        }
        ledger.appendAll(many);
        AtomicInteger lists = new AtomicInteger();
        UsageLog growing = new ForwardingUsageLog(ledger) {
            @Override
            public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
                if (lists.incrementAndGet() == 2) {
                    // a late event, newer than everything read so far: every row moves down by one
                    ledger.append(tiny("late", noon.plusSeconds(1800), 1));
                }
                return super.list(filter, page);
            }
        };
        InMemoryRollupStore store = new InMemoryRollupStore();

        assertThat(HourlyRollups.create(growing, store, SHANGHAI).rebuild(FROM, TO)).isEqualTo(1);

        assertThat(lists.get()).isEqualTo(2);
        assertThat(store.find(null, FROM, TO)).singleElement()
                .as("the 1500 events are read once each; the late one landed behind the pass")
                .extracting(HourlyUsage::requests).isEqualTo(1500L);
    }

    @Test
    void rebuildKeepsTheTwoRepeatedHoursOfAFallBackNightApart() {
        ZoneId ny = ZoneId.of("America/New_York");
        InMemoryQuota q = InMemoryQuota.create(MutableClock.startingAt("2026-11-03T00:00:00Z", ny), ny);
        q.usageLog().appendAll(List.of(
                tiny("edt", Instant.parse("2026-11-01T05:30:00Z"), 1),   // 01:30 EDT
                tiny("est", Instant.parse("2026-11-01T06:30:00Z"), 1))); // 01:30 EST

        int written = HourlyRollups.create(q.usageLog(), q.rollups(), ny)
                .rebuild(Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-02T05:00:00Z"));

        assertThat(written).isEqualTo(2);
        assertThat(q.rollups().find(1L, Instant.EPOCH, Instant.parse("2027-01-01T00:00:00Z")))
                .extracting(HourlyUsage::hour)
                .containsExactly(Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-01T06:00:00Z"));
    }

    @Test
    void rebuildRejectsBoundsThatAreNotHourBoundariesInTheZone() {
        assertThatThrownBy(() -> rollups.rebuild(FROM.plusSeconds(1800), TO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> rollups.rebuild(FROM, TO.plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to");
        assertThat(quota.rollups().find(null, Instant.EPOCH, TO.plusSeconds(86_400))).isEmpty();
    }

    @Test
    void hourBoundariesAreThoseOfTheZoneNotOfUtc() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30
        HourlyRollups india = HourlyRollups.create(quota.usageLog(), quota.rollups(), kolkata);

        assertThatThrownBy(() -> india.rebuild(Instant.parse("2025-03-09T00:00:00Z"),
                Instant.parse("2025-03-09T01:30:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
        assertThat(india.rebuild(Instant.parse("2025-03-09T00:30:00Z"), Instant.parse("2025-03-09T01:30:00Z")))
                .isZero();
    }

    @Test
    void rebuildRejectsNullAndReversedBounds() {
        assertThatThrownBy(() -> rollups.rebuild(null, TO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> rollups.rebuild(FROM, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to");
        assertThatThrownBy(() -> rollups.rebuild(TO, FROM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
    }

    @Test
    void createRejectsNullArguments() {
        assertThatThrownBy(() -> HourlyRollups.create(null, quota.rollups(), SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log");
        assertThatThrownBy(() -> HourlyRollups.create(quota.usageLog(), null, SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rollups");
        assertThatThrownBy(() -> HourlyRollups.create(quota.usageLog(), quota.rollups(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    }
}
