package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.testkit.Threads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The usage ledger: idempotent by request id under replays and concurrency, exact round trips, listings. */
abstract class UsageLogSuite extends TablesSuite {

    static final String PREFIX = "ul_";

    UsageLogSuite() {
        super(PREFIX);
    }

    @Test
    void theSameTenThousandEventsAppendedTwiceAreStoredOnce() {
        List<UsageEvent> events = Events.many("twice", 10_000);

        assertThat(quota.usageLog().appendAll(events)).isEqualTo(10_000);
        UsageTotals first = quota.usageLog().totals(UsageFilter.all());
        assertThat(quota.usageLog().appendAll(events)).isZero();

        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(10_000);
        assertThat(quota.usageLog().totals(UsageFilter.all())).isEqualTo(first).isEqualTo(UsageTotals.of(events));
    }

    @Test
    void eightThreadsAppendingTheSameTenThousandEventsStoreEachOnce() throws Exception {
        List<UsageEvent> events = Events.many("eight", 10_000);

        List<Integer> stored = Threads.race(8, t -> {
            List<UsageEvent> mine = new ArrayList<>(events);
            Collections.shuffle(mine, new Random(t));
            return quota.usageLog().appendAll(mine);
        });

        assertThat(stored.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(10_000);
        assertThat(quota.usageLog().totals(UsageFilter.all())).isEqualTo(UsageTotals.of(events));
    }

    @Test
    void aReplayWithOtherFieldsChangesNothing() {
        UsageEvent original = Events.event("r-1", 1, Events.T0);
        UsageEvent replay = UsageEvent.builder("r-1", 1).actualCost(Money.ofUnits(99)).occurredAt(Events.T0).build();

        assertThat(quota.usageLog().append(original)).isTrue();
        assertThat(quota.usageLog().append(replay)).isFalse();
        assertThat(quota.usageLog().appendAll(List.of(replay, Events.event("r-2", 1, Events.T0), replay))).isEqualTo(1);

        assertThat(quota.usageLog().find(new UsageKey(1, "r-1"))).contains(original);
    }

    @Test
    void repeatedIdsInOneBatchKeepTheFirst() {
        UsageEvent first = Events.event("dup", 1, Events.T0);
        UsageEvent second = Events.event("dup", 1, Events.T0.plusSeconds(1));

        assertThat(quota.usageLog().appendAll(List.of(first, second))).isEqualTo(1);

        assertThat(quota.usageLog().find(new UsageKey(1, "dup"))).contains(first);
    }

    @Test
    void everyFieldRoundTripsExactly() {
        UsageEvent full = UsageEvent.builder("full-1", 42).apiKeyId(420).accountId(4200).groupId(7)
                .billingMode(BillingMode.SUBSCRIPTION).platform("anthropic").model("claude-ß-模型")
                .tokens(1_000_000_000L, 2, 3, 4).totalCost(Money.parse("123456789.123456789"))
                .actualCost(Money.parse("0.000000001")).costParts(Money.ofNanos(1), Money.ofNanos(2),
                        Money.ofNanos(3), Money.ofNanos(4))
                .httpStatus(529).errorMessage("overloaded: " + "x".repeat(UsageEvent.MAX_ERROR_MESSAGE_LENGTH - 12)).responseTimeMs(123_456)
                .attempts(3).occurredAt(Events.T0.plusMillis(789)).build();
        UsageEvent minimal = UsageEvent.builder("min-1", 1).occurredAt(Events.T0).build();

        quota.usageLog().appendAll(List.of(full, minimal));

        assertThat(quota.usageLog().find(new UsageKey(42, "full-1"))).contains(full);
        assertThat(quota.usageLog().find(new UsageKey(1, "min-1"))).contains(minimal);
        assertThat(quota.usageLog().find(new UsageKey(1, "absent"))).isEmpty();
        assertThat(quota.usageLog().find(new UsageKey(1, "x".repeat(500)))).isEmpty();
    }

    @Test
    void requestIdsAreExactCaseAndTrailingSpaceSensitive() {
        quota.usageLog().appendAll(List.of(Events.event("abc", 1, Events.T0), Events.event("ABC", 1, Events.T0.plusMillis(2)),
                Events.event("abc ", 1, Events.T0.plusMillis(3))));

        assertThat(db().count(PREFIX + "usage_log")).isEqualTo(3);
        assertThat(quota.usageLog().find(new UsageKey(1, "ABC")).orElseThrow().occurredAt())
                .isEqualTo(Events.T0.plusMillis(2));
        assertThat(quota.usageLog().find(new UsageKey(1, "abc ")).orElseThrow().occurredAt())
                .isEqualTo(Events.T0.plusMillis(3));
    }

    @Test
    void listingIsNewestFirstWithTiesByRequestIdAndPaged() {
        quota.usageLog().appendAll(List.of(Events.event("b", 1, Events.T0), Events.event("a", 1, Events.T0),
                Events.event("c", 1, Events.T0.plusSeconds(1)), Events.event("d", 1, Events.T0.minusSeconds(1)),
                Events.event("e", 2, Events.T0)));
        UsageFilter user1 = UsageFilter.all().withUser(1);

        Page<UsageEvent> p1 = quota.usageLog().list(user1, PageRequest.of(1, 3));
        Page<UsageEvent> p2 = quota.usageLog().list(user1, PageRequest.of(2, 3));

        assertThat(p1.items()).extracting(UsageEvent::requestId).containsExactly("c", "a", "b");
        assertThat(p2.items()).extracting(UsageEvent::requestId).containsExactly("d");
        assertThat(p1.total()).isEqualTo(4);
        assertThat(p1.pages()).isEqualTo(2);
        assertThat(quota.usageLog().list(user1, PageRequest.of(3, 3)).items()).isEmpty();
    }

    @Test
    void everyFilterCriterionNarrowsTheListingAndTotals() {
        UsageEvent a = UsageEvent.builder("f-a", 1).apiKeyId(10).accountId(100).groupId(5).platform("anthropic")
                .model("m1").actualCost(Money.ofNanos(1)).occurredAt(Events.T0).build();
        UsageEvent b = UsageEvent.builder("f-b", 2).apiKeyId(20).accountId(200).groupId(6).platform("openai")
                .model("m2").actualCost(Money.ofNanos(2)).occurredAt(Events.T0.plusSeconds(10)).build();
        UsageEvent c = UsageEvent.builder("f-c", 1).occurredAt(Events.T0.plusSeconds(20)).build();
        quota.usageLog().appendAll(List.of(a, b, c));
        PageRequest all = PageRequest.of(1, 100);

        assertThat(ids(UsageFilter.all().withUser(1), all)).containsExactly("f-c", "f-a");
        assertThat(ids(UsageFilter.all().withApiKey(20), all)).containsExactly("f-b");
        assertThat(ids(UsageFilter.all().withAccount(100), all)).containsExactly("f-a");
        assertThat(ids(UsageFilter.all().withGroup(6), all)).containsExactly("f-b");
        assertThat(ids(UsageFilter.all().withModel("m1"), all)).containsExactly("f-a");
        assertThat(ids(UsageFilter.all().withPlatform("openai"), all)).containsExactly("f-b");
        assertThat(ids(UsageFilter.all().between(Events.T0.plusSeconds(10), Events.T0.plusSeconds(20)), all))
                .containsExactly("f-b");
        assertThat(quota.usageLog().totals(UsageFilter.all().withUser(1)).actualCost()).isEqualTo(Money.ofNanos(1));
        assertThat(quota.usageLog().totals(UsageFilter.all().withModel("none"))).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void nullElementsAreRejectedBeforeAnythingIsStored() {
        List<UsageEvent> withNull = new ArrayList<>();
        withNull.add(Events.event("n-1", 1, Events.T0));
        withNull.add(null);

        assertThatThrownBy(() -> quota.usageLog().appendAll(withNull)).isInstanceOf(IllegalArgumentException.class);
        assertThat(db().count(PREFIX + "usage_log")).isZero();
    }

    private List<String> ids(UsageFilter filter, PageRequest page) {
        return quota.usageLog().list(filter, page).items().stream().map(UsageEvent::requestId).toList();
    }
}
