package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.event;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.BillingMode;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UsageLog} passes: idempotent by request id (single and batch appends, duplicates
 * inside and across batches), every field kept exactly, listings newest first with ties by request id,
 * paging with totals, filters, exact totals, concurrency. Extend it and implement {@link #createStore()}: a log that sees no events stored by earlier
 * tests (a fresh instance, table prefix or schema), because the tests reuse request ids.
 */
public abstract class UsageLogContract extends StoreContract<UsageLog> {

    private static final long USER = 42;
    private static final Instant T0 = at("2025-03-10T08:00:00Z");

    /** Creates the contract; subclasses supply the log ({@link #createStore()}). */
    protected UsageLogContract() {
    }

    private static UsageEvent simple(String requestId, Instant at) {
        return event(requestId, USER, usd("0.01"), at).build();
    }

    private static UsageEvent full(String requestId) {
        return UsageEvent.builder(requestId, USER)
                .apiKeyId(9).accountId(3).groupId(7).billingMode(BillingMode.SUBSCRIPTION)
                .platform("anthropic").model("claude-sonnet-4")
                .tokens(1200, 350, 64, 2048)
                .totalCost(usd("0.123456789")).actualCost(usd("0.098765432"))
                .costParts(usd("0.0036"), usd("0.00525"), usd("0.00024"), usd("0.0006144"))
                .httpStatus(529).errorMessage("overloaded").responseTimeMs(1834).attempts(3)
                .occurredAt(at("2025-03-10T08:00:00.123Z"))
                .build();
    }

    @Test
    void appendStoresTheEventAndFindReturnsItWithEveryField() {
        UsageEvent e = full("req-1");
        assertThat(store().append(e)).isTrue();
        UsageEvent found = store().find(new UsageKey(USER, "req-1")).orElseThrow();
        assertThat(found).isEqualTo(e);
        assertThat(found.occurredAt()).isEqualTo(e.occurredAt());
        assertThat(found.outcome().errorMessage()).isEqualTo("overloaded");
        assertThat(found.costs().cacheRead()).isEqualTo(usd("0.0006144"));
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        UsageEvent e = simple("req-1", T0);
        store().append(e);
        UsageEvent found = store().find(new UsageKey(USER, "req-1")).orElseThrow();
        assertThat(found).isEqualTo(e);
        assertThat(found.apiKeyId()).isNull();
        assertThat(found.accountId()).isNull();
        assertThat(found.groupId()).isNull();
        assertThat(found.platform()).isNull();
        assertThat(found.model()).isNull();
        assertThat(found.outcome().errorMessage()).isNull();
    }

    @Test
    void findIsEmptyForAnUnknownRequestId() {
        assertThat(store().find(new UsageKey(USER, "nope"))).isEmpty();
    }

    @Test
    void replayingARequestIdChangesNothingWhateverItsOtherFields() {
        UsageEvent original = simple("req-1", T0);
        store().append(original);
        UsageEvent replay = event("req-1", USER, usd("99"), T0.plusSeconds(5)).model("other").build();
        assertThat(store().append(replay)).isFalse();
        assertThat(store().find(new UsageKey(USER, "req-1"))).contains(original);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(1);
    }

    @Test
    void theSameRequestIdOfTwoUsersIsTwoEvents() {
        UsageEvent mine = simple("shared", T0);
        UsageEvent theirs = event("shared", USER + 1, usd("0.02"), T0).build();
        assertThat(store().append(mine)).isTrue();
        assertThat(store().append(theirs)).isTrue();
        assertThat(store().appendAll(List.of(mine, theirs))).isZero();
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(2);
        assertThat(store().totals(UsageFilter.all().withUser(USER + 1)).actualCost()).isEqualTo(usd("0.02"));
        assertThat(store().find(new UsageKey(USER, "shared"))).contains(mine);
        assertThat(store().find(new UsageKey(USER + 1, "shared"))).contains(theirs);
        assertThat(store().find(new UsageKey(USER + 2, "shared"))).isEmpty();
    }

    @Test
    void aBatchWithTheSameRequestIdForTwoUsersStoresBoth() {
        assertThat(store().appendAll(List.of(simple("shared", T0), event("shared", USER + 1, usd("0.02"), T0).build(),
                simple("shared", T0)))).isEqualTo(2);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void appendAllStoresABatchAndCountsIt() {
        assertThat(store().appendAll(List.of(simple("a", T0), simple("b", T0), simple("c", T0)))).isEqualTo(3);
        assertThat(store().find(new UsageKey(USER, "b"))).isPresent();
    }

    @Test
    void appendAllSkipsDuplicatesInsideABatch() {
        UsageEvent first = simple("a", T0);
        UsageEvent duplicate = event("a", USER, usd("5"), T0).build();
        assertThat(store().appendAll(List.of(first, simple("b", T0), duplicate))).isEqualTo(2);
        assertThat(store().find(new UsageKey(USER, "a"))).contains(first);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void appendAllSkipsRequestIdsStoredByEarlierBatches() {
        store().appendAll(List.of(simple("a", T0), simple("b", T0)));
        store().append(simple("c", T0));
        assertThat(store().appendAll(List.of(simple("b", T0), simple("c", T0), simple("d", T0)))).isEqualTo(1);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(4);
    }

    @Test
    void appendAllOfAnEmptyBatchStoresNothing() {
        assertThat(store().appendAll(List.of())).isZero();
        assertThat(store().totals(UsageFilter.all())).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void listIsNewestFirstWithTiesByRequestId() {
        store().appendAll(List.of(simple("b", T0), simple("old", T0.minusSeconds(60)), simple("new", T0.plusSeconds(60)),
                simple("a", T0), simple("c", T0)));
        Page<UsageEvent> page = store().list(UsageFilter.all(), PageRequest.of(1, 10));
        assertThat(page.items()).extracting(UsageEvent::requestId).containsExactly("new", "a", "b", "c", "old");
        assertThat(page.total()).isEqualTo(5);
    }

    @Test
    void listPagesThroughTheMatchesWithTheTotal() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(simple(String.format("req-%02d", i), T0.plusSeconds(i)));
        }
        store().appendAll(events);
        Page<UsageEvent> first = store().list(UsageFilter.all(), PageRequest.of(1, 10));
        Page<UsageEvent> last = store().list(UsageFilter.all(), PageRequest.of(3, 10));
        Page<UsageEvent> beyond = store().list(UsageFilter.all(), PageRequest.of(4, 10));
        assertThat(first.items()).extracting(UsageEvent::requestId).startsWith("req-24", "req-23").hasSize(10);
        assertThat(last.items()).extracting(UsageEvent::requestId).containsExactly("req-04", "req-03", "req-02",
                "req-01", "req-00");
        assertThat(beyond.items()).isEmpty();
        assertThat(first.total()).isEqualTo(25);
        assertThat(beyond.total()).isEqualTo(25);
        assertThat(last.page()).isEqualTo(3);
        assertThat(last.size()).isEqualTo(10);
    }

    @Test
    void listFiltersByEveryCriterion() {
        UsageEvent match = full("match");
        store().append(match);
        store().append(UsageEvent.builder("other-user", USER + 1).apiKeyId(9).accountId(3).groupId(7)
                .platform("anthropic").model("claude-sonnet-4").occurredAt(match.occurredAt()).build());
        store().append(UsageEvent.builder("other-model", USER).apiKeyId(9).accountId(3).groupId(7)
                .platform("anthropic").model("gpt-5").occurredAt(match.occurredAt()).build());
        store().append(UsageEvent.builder("other-key", USER).apiKeyId(10).accountId(3).groupId(7)
                .platform("anthropic").model("claude-sonnet-4").occurredAt(match.occurredAt()).build());
        store().append(UsageEvent.builder("other-account", USER).apiKeyId(9).accountId(4).groupId(7)
                .platform("anthropic").model("claude-sonnet-4").occurredAt(match.occurredAt()).build());
        store().append(UsageEvent.builder("other-group", USER).apiKeyId(9).accountId(3).groupId(8)
                .platform("anthropic").model("claude-sonnet-4").occurredAt(match.occurredAt()).build());
        store().append(UsageEvent.builder("other-platform", USER).apiKeyId(9).accountId(3).groupId(7)
                .platform("openai").model("claude-sonnet-4").occurredAt(match.occurredAt()).build());
        UsageFilter filter = UsageFilter.all().withUser(USER).withApiKey(9).withAccount(3).withGroup(7)
                .withModel("claude-sonnet-4").withPlatform("anthropic");
        assertThat(store().list(filter, PageRequest.of(1, 100)).items()).containsExactly(match);
        assertThat(store().list(filter, PageRequest.of(1, 100)).total()).isEqualTo(1);
        assertThat(store().list(UsageFilter.all().withUser(USER), PageRequest.of(1, 100)).total()).isEqualTo(6);
    }

    @Test
    void timeRangeIsHalfOpen() {
        store().appendAll(List.of(simple("before", T0.minusMillis(1)), simple("from", T0),
                simple("inside", T0.plusSeconds(30)), simple("to", T0.plusSeconds(60))));
        UsageFilter range = UsageFilter.all().between(T0, T0.plusSeconds(60));
        assertThat(store().list(range, PageRequest.of(1, 10)).items()).extracting(UsageEvent::requestId)
                .containsExactly("inside", "from");
        assertThat(store().totals(range).requests()).isEqualTo(2);
    }

    @Test
    void totalsSumTheMatchingEventsExactly() {
        UsageEvent failed = full("failed");
        UsageEvent ok = UsageEvent.builder("ok", USER).tokens(10, 20, 30, 40)
                .totalCost(usd("0.1")).actualCost(usd("0.05")).costParts(usd("0.01"), usd("0.02"), usd("0.03"), usd("0.04"))
                .responseTimeMs(100).occurredAt(T0).build();
        store().appendAll(List.of(failed, ok, UsageEvent.builder("elsewhere", USER + 1).occurredAt(T0).build()));
        UsageTotals totals = store().totals(UsageFilter.all().withUser(USER));
        assertThat(totals).isEqualTo(UsageTotals.of(List.of(failed, ok)));
        assertThat(totals.requests()).isEqualTo(2);
        assertThat(totals.successRequests()).isEqualTo(1);
        assertThat(totals.errorRequests()).isEqualTo(1);
        assertThat(totals.actualCost()).isEqualTo(usd("0.148765432"));
    }

    @Test
    void totalsOfNoMatchIsZero() {
        store().append(simple("a", T0));
        assertThat(store().totals(UsageFilter.all().withUser(USER + 1))).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void costsAbove2Pow53NanosStayExact() {
        Money big = Money.ofNanos(TWO_POW_53 + 1);
        store().append(event("big", USER, big, T0).build());
        store().append(event("one", USER, Money.ofNanos(1), T0).build());
        assertThat(store().find(new UsageKey(USER, "big")).orElseThrow().costs().actual()).isEqualTo(big);
        assertThat(store().totals(UsageFilter.all()).actualCost()).isEqualTo(Money.ofNanos(TWO_POW_53 + 2));
    }

    @Test
    void aThousandEventsOfTenCentsTotalExactlyOneHundredUsd() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(event("r" + i, USER, usd("0.1"), T0).build());
        }
        store().appendAll(events);
        assertThat(store().totals(UsageFilter.all()).actualCost()).isEqualTo(usd("100"));
    }

    @Test
    void concurrentAppendsStoreEveryEvent() {
        Race.run((thread, op) -> store().append(simple("t" + thread + "-" + op, T0.plusMillis(op))));
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo((long) Race.THREADS * Race.OPS);
        assertThat(store().list(UsageFilter.all(), PageRequest.of(1, 1)).total()).isEqualTo((long) Race.THREADS * Race.OPS);
    }

    @Test
    void concurrentReplaysStoreEachRequestIdOnce() {
        AtomicInteger stored = new AtomicInteger();
        Race.run((thread, op) -> {
            if (store().append(simple("shared-" + op, T0))) {
                stored.incrementAndGet();
            }
        });
        assertThat(stored.get()).isEqualTo(Race.OPS);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(Race.OPS);
    }

    @Test
    void concurrentOverlappingBatchesStoreEachRequestIdOnce() {
        AtomicInteger stored = new AtomicInteger();
        int batches = 5;
        Race.run(Race.THREADS, batches, (thread, op) -> {
            List<UsageEvent> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(simple("b" + op + "-" + ((thread + i) % 20), T0));
            }
            stored.addAndGet(store().appendAll(batch));
        });
        assertThat(stored.get()).isEqualTo(batches * 20);
        assertThat(store().totals(UsageFilter.all()).requests()).isEqualTo(batches * 20L);
    }
}
