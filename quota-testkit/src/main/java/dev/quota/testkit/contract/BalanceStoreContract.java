package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.nanos;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BalanceChange;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BalanceStore} passes. Extend it and implement {@link #createStore()}; the in-memory
 * store, the SQL store and any custom store run the same tests.
 */
public abstract class BalanceStoreContract extends StoreContract<BalanceStore> {

    private static final long USER = 42;
    private static final long OTHER_USER = 43;

    @Test
    void findIsEmptyForAUserWithoutBalance() {
        assertThat(store().find(USER)).isEmpty();
    }

    @Test
    void setCreatesABalance() {
        store().set(USER, usd("12.5"));
        assertThat(store().find(USER)).contains(usd("12.5"));
    }

    @Test
    void setReplacesABalance() {
        store().set(USER, usd("12.5"));
        store().set(USER, usd("3"));
        assertThat(store().find(USER)).contains(usd("3"));
    }

    @Test
    void setAcceptsANegativeBalance() {
        store().set(USER, usd("-0.000000001"));
        assertThat(store().find(USER)).contains(nanos(-1));
    }

    @Test
    void balancesOfDifferentUsersAreIndependent() {
        store().set(USER, usd("1"));
        store().set(OTHER_USER, usd("2"));
        store().deduct(USER, usd("0.5"));
        assertThat(store().find(USER)).contains(usd("0.5"));
        assertThat(store().find(OTHER_USER)).contains(usd("2"));
    }

    @Test
    void creditCreatesTheBalanceFromZeroWhenAbsent() {
        assertThat(store().credit(USER, usd("7"))).isEqualTo(usd("7"));
        assertThat(store().find(USER)).contains(usd("7"));
    }

    @Test
    void creditAddsToTheBalance() {
        store().set(USER, usd("-1"));
        assertThat(store().credit(USER, usd("3.25"))).isEqualTo(usd("2.25"));
        assertThat(store().find(USER)).contains(usd("2.25"));
    }

    @Test
    void deductSubtractsAndReturnsTheNewBalance() {
        store().set(USER, usd("10"));
        assertThat(store().deduct(USER, usd("0.000000001"))).contains(usd("9.999999999"));
        assertThat(store().find(USER)).contains(usd("9.999999999"));
    }

    @Test
    void deductMayTakeTheBalanceBelowZero() {
        store().set(USER, usd("1"));
        assertThat(store().deduct(USER, usd("3"))).contains(usd("-2"));
    }

    @Test
    void deductWithoutBalanceRecordReturnsEmptyAndCreatesNothing() {
        assertThat(store().deduct(USER, usd("1"))).isEmpty();
        assertThat(store().find(USER)).isEmpty();
    }

    @Test
    void deductIfAtLeastSubtractsWhenTheResultStaysAboveTheFloor() {
        store().set(USER, usd("10"));
        assertThat(store().deductIfAtLeast(USER, usd("4"), Money.ZERO)).contains(usd("6"));
        assertThat(store().find(USER)).contains(usd("6"));
    }

    @Test
    void deductIfAtLeastMayLandExactlyOnTheFloor() {
        store().set(USER, usd("10"));
        assertThat(store().deductIfAtLeast(USER, usd("10"), Money.ZERO)).contains(Money.ZERO);
    }

    @Test
    void deductIfAtLeastRefusesToGoBelowTheFloorAndChangesNothing() {
        store().set(USER, usd("10"));
        assertThat(store().deductIfAtLeast(USER, usd("10.000000001"), Money.ZERO)).isEmpty();
        assertThat(store().find(USER)).contains(usd("10"));
    }

    @Test
    void deductIfAtLeastHonoursANegativeFloor() {
        store().set(USER, usd("1"));
        assertThat(store().deductIfAtLeast(USER, usd("3"), usd("-2"))).contains(usd("-2"));
        assertThat(store().deductIfAtLeast(USER, nanos(1), usd("-2"))).isEmpty();
    }

    @Test
    void deductIfAtLeastWithoutBalanceRecordReturnsEmptyAndCreatesNothing() {
        assertThat(store().deductIfAtLeast(USER, usd("1"), usd("-100"))).isEmpty();
        assertThat(store().find(USER)).isEmpty();
    }

    @Test
    void balancesAbove2Pow53NanosStayExactWhenDeductingOneNano() {
        long big = TWO_POW_53 + 1;
        store().set(USER, nanos(big));
        assertThat(store().deduct(USER, nanos(1))).contains(nanos(TWO_POW_53));
        assertThat(store().deduct(USER, nanos(1))).contains(nanos(TWO_POW_53 - 1));
        assertThat(store().find(USER)).contains(nanos(TWO_POW_53 - 1));
    }

    @Test
    void creditsNearLongMaxStayExact() {
        store().set(USER, nanos(Long.MAX_VALUE - 10));
        assertThat(store().credit(USER, nanos(3))).isEqualTo(nanos(Long.MAX_VALUE - 7));
    }

    @Test
    void aThousandCreditsOfTenCentsSumToExactlyOneHundredUsd() {
        for (int i = 0; i < 1000; i++) {
            store().credit(USER, usd("0.1"));
        }
        assertThat(store().find(USER)).contains(usd("100"));
    }

    @Test
    void aThousandDeductionsOfTenCentsTakeExactlyOneHundredUsd() {
        store().set(USER, usd("100"));
        for (int i = 0; i < 1000; i++) {
            store().deduct(USER, usd("0.1"));
        }
        assertThat(store().find(USER)).contains(Money.ZERO);
    }

    @Test
    void negativeCreditIsRejectedAndChangesNothing() {
        store().set(USER, usd("5"));
        assertThatThrownBy(() -> store().credit(USER, usd("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER)).contains(usd("5"));
    }

    @Test
    void negativeDeductionIsRejectedAndChangesNothing() {
        store().set(USER, usd("5"));
        assertThatThrownBy(() -> store().deduct(USER, usd("-1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().deductIfAtLeast(USER, usd("-1"), Money.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER)).contains(usd("5"));
    }

    @Test
    void deductionNeverLosesAConcurrentUpdate() {
        store().set(USER, usd("100"));
        Race.run((thread, op) -> store().deduct(USER, usd("0.001")));
        long total = (long) Race.THREADS * Race.OPS;
        assertThat(store().find(USER)).contains(usd("100").minus(usd("0.001").times(total)));
    }

    @Test
    void concurrentCreditsAndDeductionsSumExactly() {
        store().set(USER, Money.ZERO);
        Race.run((thread, op) -> {
            if (thread % 2 == 0) {
                store().credit(USER, usd("0.3"));
            } else {
                store().deduct(USER, usd("0.1"));
            }
        });
        long each = (long) Race.THREADS / 2 * Race.OPS;
        assertThat(store().find(USER)).contains(usd("0.3").times(each).minus(usd("0.1").times(each)));
    }

    @Test
    void concurrentConditionalDeductionsNeverCrossTheFloor() {
        int affordable = 100;
        store().set(USER, usd("0.01").times(affordable));
        AtomicInteger accepted = new AtomicInteger();
        Race.run((thread, op) -> {
            if (store().deductIfAtLeast(USER, usd("0.01"), Money.ZERO).isPresent()) {
                accepted.incrementAndGet();
            }
        });
        assertThat(accepted.get()).isEqualTo(affordable);
        assertThat(store().find(USER)).contains(Money.ZERO);
    }

    // ------------------------------------------------------------------ idempotent adjustments

    @Test
    void adjustCreditsOnceAndCreatesTheBalanceFromZero() {
        BalanceChange first = store().adjust(USER, usd("5"), "pay-1");
        assertThat(first).isEqualTo(new BalanceChange(usd("5"), true));
        assertThat(store().find(USER)).contains(usd("5"));
    }

    @Test
    void adjustWithAnOperationIdSeenBeforeChangesNothingAndReportsTheCurrentBalance() {
        store().adjust(USER, usd("5"), "pay-1");
        store().deduct(USER, usd("1.5"));
        assertThat(store().adjust(USER, usd("5"), "pay-1")).isEqualTo(new BalanceChange(usd("3.5"), false));
        assertThat(store().adjust(USER, usd("7"), "pay-1")).as("the id decides, not the amount")
                .isEqualTo(new BalanceChange(usd("3.5"), false));
        assertThat(store().find(USER)).contains(usd("3.5"));
    }

    @Test
    void adjustOperationIdsAreScopedPerUser() {
        store().adjust(USER, usd("1"), "pay-1");
        assertThat(store().adjust(OTHER_USER, usd("2"), "pay-1")).isEqualTo(new BalanceChange(usd("2"), true));
        assertThat(store().find(USER)).contains(usd("1"));
    }

    @Test
    void adjustWithANegativeDeltaDebitsAndMayGoBelowZero() {
        store().set(USER, usd("1"));
        assertThat(store().adjust(USER, usd("-1.25"), "refund-9")).isEqualTo(new BalanceChange(usd("-0.25"), true));
        assertThat(store().adjust(USER, usd("-1.25"), "refund-9").applied()).isFalse();
        assertThat(store().find(USER)).contains(usd("-0.25"));
    }

    @Test
    void adjustRejectsABadOperationIdAndChangesNothing() {
        store().set(USER, usd("1"));
        for (String bad : new String[] {null, "", "  ", "a\u0000b", "x".repeat(129), "\uD800"}) {
            assertThatThrownBy(() -> store().adjust(USER, usd("1"), bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store().adjust(USER, null, "pay-1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().find(USER)).contains(usd("1"));
        assertThat(store().adjust(USER, usd("1"), "x".repeat(128)).applied()).as("128 characters are allowed").isTrue();
    }

    @Test
    void aReplayedOperationRacingItselfIsAppliedExactlyOnce() {
        AtomicInteger applied = new AtomicInteger();
        Race.run((thread, op) -> {
            if (store().adjust(USER, usd("0.1"), "op-" + op).applied()) {
                applied.incrementAndGet();
            }
        });
        assertThat(applied.get()).isEqualTo(Race.OPS);
        assertThat(store().find(USER)).contains(usd("0.1").times(Race.OPS));
    }
}
