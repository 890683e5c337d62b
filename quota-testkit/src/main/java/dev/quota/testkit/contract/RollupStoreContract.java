package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.usage.HourlyUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RollupStore} passes: adding sums into the roll-up of the same hour, user and
 * model (inside one batch and across batches), range queries ordered by hour, user, model, range deletion,
 * exact sums under concurrency. Extend it and implement {@link #createStore()}.
 */
public abstract class RollupStoreContract extends StoreContract<RollupStore> {

    private static final long USER = 42;
    private static final Instant H0 = at("2025-03-10T08:00:00Z");
    private static final Instant H1 = H0.plus(Duration.ofHours(1));
    private static final Instant H2 = H0.plus(Duration.ofHours(2));

    private static HourlyUsage rollup(Instant hour, long userId, String model, long requests, long tokens, Money cost) {
        return new HourlyUsage(hour, userId, model, requests, tokens, cost);
    }

    private List<HourlyUsage> all() {
        return store().find(null, Instant.EPOCH, at("2100-01-01T00:00:00Z"));
    }

    @Test
    void findIsEmptyWhenNothingWasAdded() {
        assertThat(all()).isEmpty();
    }

    @Test
    void addCreatesRollups() {
        HourlyUsage r = rollup(H0, USER, "claude", 3, 1500, usd("0.3"));
        store().add(List.of(r));
        assertThat(all()).containsExactly(r);
    }

    @Test
    void addingTheSameHourUserAndModelSumsIntoIt() {
        store().add(List.of(rollup(H0, USER, "claude", 3, 1500, usd("0.3"))));
        store().add(List.of(rollup(H0, USER, "claude", 2, 500, usd("0.15"))));
        assertThat(all()).containsExactly(rollup(H0, USER, "claude", 5, 2000, usd("0.45")));
    }

    @Test
    void duplicatesInsideOneBatchAreSummed() {
        store().add(List.of(rollup(H0, USER, "claude", 1, 10, usd("0.1")), rollup(H0, USER, "claude", 1, 20, usd("0.2"))));
        assertThat(all()).containsExactly(rollup(H0, USER, "claude", 2, 30, usd("0.3")));
    }

    @Test
    void theEmptyModelIsAModelOfItsOwn() {
        store().add(List.of(rollup(H0, USER, "", 1, 10, usd("0.1")), rollup(H0, USER, "claude", 1, 10, usd("0.1"))));
        assertThat(all()).extracting(HourlyUsage::model).containsExactly("", "claude");
    }

    @Test
    void findOrdersByHourThenUserThenModel() {
        HourlyUsage a = rollup(H1, USER, "b", 1, 1, usd("0.1"));
        HourlyUsage b = rollup(H0, USER + 1, "a", 1, 1, usd("0.1"));
        HourlyUsage c = rollup(H0, USER, "z", 1, 1, usd("0.1"));
        HourlyUsage d = rollup(H0, USER, "a", 1, 1, usd("0.1"));
        store().add(List.of(a, b, c, d));
        assertThat(all()).containsExactly(d, c, b, a);
    }

    @Test
    void findFiltersByUserAndHalfOpenRange() {
        HourlyUsage h0 = rollup(H0, USER, "m", 1, 1, usd("0.1"));
        HourlyUsage h1 = rollup(H1, USER, "m", 1, 1, usd("0.1"));
        HourlyUsage h2 = rollup(H2, USER, "m", 1, 1, usd("0.1"));
        HourlyUsage other = rollup(H1, USER + 1, "m", 1, 1, usd("0.1"));
        store().add(List.of(h0, h1, h2, other));
        assertThat(store().find(USER, H0, H2)).containsExactly(h0, h1);
        assertThat(store().find(null, H1, H2)).containsExactly(h1, other);
        assertThat(store().find(USER + 1, H0, H1)).isEmpty();
    }

    @Test
    void deleteRangeRemovesOnlyTheHalfOpenRangeAndCountsIt() {
        HourlyUsage h0 = rollup(H0, USER, "m", 1, 1, usd("0.1"));
        HourlyUsage h1 = rollup(H1, USER, "m", 1, 1, usd("0.1"));
        HourlyUsage h1b = rollup(H1, USER + 1, "m", 1, 1, usd("0.1"));
        HourlyUsage h2 = rollup(H2, USER, "m", 1, 1, usd("0.1"));
        store().add(List.of(h0, h1, h1b, h2));
        assertThat(store().deleteRange(H1, H2)).isEqualTo(2);
        assertThat(all()).containsExactly(h0, h2);
        assertThat(store().deleteRange(H1, H2)).isZero();
    }

    @Test
    void deletedRollupsCanBeRebuilt() {
        store().add(List.of(rollup(H0, USER, "m", 9, 9, usd("9"))));
        store().deleteRange(H0, H1);
        HourlyUsage rebuilt = rollup(H0, USER, "m", 1, 1, usd("0.1"));
        store().add(List.of(rebuilt));
        assertThat(all()).containsExactly(rebuilt);
    }

    @Test
    void addingAnEmptyBatchChangesNothing() {
        store().add(List.of());
        assertThat(all()).isEmpty();
    }

    @Test
    void costsAbove2Pow53NanosStayExact() {
        store().add(List.of(rollup(H0, USER, "m", 1, 1, Money.ofNanos(TWO_POW_53))));
        store().add(List.of(rollup(H0, USER, "m", 1, 1, Money.ofNanos(1))));
        assertThat(all().get(0).cost()).isEqualTo(Money.ofNanos(TWO_POW_53 + 1));
    }

    @Test
    void aThousandAddsOfTenCentsSumToExactlyOneHundredUsd() {
        for (int i = 0; i < 1000; i++) {
            store().add(List.of(rollup(H0, USER, "m", 1, 1, usd("0.1"))));
        }
        assertThat(all()).containsExactly(rollup(H0, USER, "m", 1000, 1000, usd("100")));
    }

    @Test
    void concurrentAddsSumExactly() {
        Race.run((thread, op) -> store().add(List.of(rollup(H0, USER, "m", 1, 10, usd("0.01")),
                rollup(H0, USER, "n", 1, 1, usd("0.02")))));
        long n = (long) Race.THREADS * Race.OPS;
        assertThat(all()).containsExactly(rollup(H0, USER, "m", n, 10 * n, usd("0.01").times(n)),
                rollup(H0, USER, "n", n, n, usd("0.02").times(n)));
    }
}
