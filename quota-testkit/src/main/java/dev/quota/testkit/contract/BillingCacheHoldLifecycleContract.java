package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.limit.Holds;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.ReserveView;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of a hold's end and extension: {@link BillingCache#settle} applies the usage once and drops the
 * hold, {@link BillingCache#release} drops only the owner's hold once, {@link BillingCache#renew} extends a hold
 * still recorded and never shortens it; blank hold ids are misuse.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend}; the
 * fixture is {@link BillingCacheFixture}.
 */
public abstract class BillingCacheHoldLifecycleContract extends BillingCacheFixture {

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheHoldLifecycleContract() {
    }

    /** @return whether settling hold {@code h1} with request {@code req-1} of 5 dollars applied the usage */
    private boolean settleH1WithFiveDollars() {
        return cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI);
    }

    @Test
    void settleAppliesTheUsageAndDropsTheHold() {
        holdOnAFilledCache("6");
        assertThat(settleH1WithFiveDollars()).isTrue();
        assertThat(balance()).isEqualTo(usd("5"));
        assertAdmittedWithNothingHeld("h2", usd("5"));
    }

    @Test
    void settlingTwiceAppliesOnce() {
        holdOnAFilledCache("6");
        settleH1WithFiveDollars();
        assertThat(settleH1WithFiveDollars()).isFalse();
        assertThat(balance()).isEqualTo(usd("5"));
    }

    @Test
    void settlingAfterTheRequestWasAppliedAppliesNothingMoreButDropsTheHold() {
        holdOnAFilledCache("6");
        apply(usage("req-1", usd("5")));
        assertThat(settleH1WithFiveDollars()).isFalse();
        assertThat(balance()).isEqualTo(usd("5"));
        assertThat(reserve(balanceRequest(), "h2", usd("5")).heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void settlingAnExpiredHoldStillAppliesTheUsage() {
        holdOnAFilledCache("6");
        clock.advance(Duration.ofMinutes(10));
        assertThat(settleH1WithFiveDollars()).isTrue();
        assertThat(balance()).isEqualTo(usd("5"));
    }

    @Test
    void releaseDropsTheHoldOnce() {
        holdOnAFilledCache("10");
        assertThat(cache.release(USER, "h1")).isTrue();
        assertThat(cache.release(USER, "h1")).isFalse();
        assertAdmittedWithNothingHeld("h2", usd("10"));
        assertThat(balance()).isEqualTo(usd("10"));
    }

    @Test
    void releasingAnUnknownHoldIsFalse() {
        assertThat(cache.release(USER, "never-held")).isFalse();
    }

    @Test
    void releaseOnlyDropsTheOwnersHold() {
        holdOnAFilledCache("10");
        assertThat(cache.release(USER + 1, "h1")).isFalse();
        assertThat(reserve(balanceRequest(), "h2", usd("1")).admitted()).isFalse();
    }

    @Test
    void blankHoldIdsAreRejected() {
        assertThatThrownBy(() -> cache.release(USER, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.settle("", usage("req-1", usd("1")), clock.instant(), SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSettlesApplyEachHoldOnce() {
        fill();
        replaceBalance(usd("100"));
        for (int i = 0; i < Race.OPS; i++) {
            reserve(balanceRequest(), "h" + i, usd("0.1"));
        }
        AtomicInteger applied = new AtomicInteger();
        Race.run((thread, op) -> {
            int i = (op + thread) % Race.OPS;
            if (cache.settle("h" + i, usage("req-" + i, usd("0.1")), clock.instant(), SHANGHAI)) {
                applied.incrementAndGet();
            }
        });
        assertThat(applied.get()).isEqualTo(Race.OPS);
        assertThat(balance()).isEqualTo(usd("100").minus(usd("0.1").times(Race.OPS)));
        assertThat(reserve(balanceRequest(), "after", usd("1")).heldBefore()).isEqualTo(Holds.NONE);
    }

    // ------------------------------------------------------------------ renew

    @Test
    void aRenewedHoldStillCountsAfterItsOldExpiry() {
        holdOnAFilledCache("6");
        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(20)))).isTrue();

        clock.advance(Duration.ofMinutes(10));
        ReserveView r = reserve(balanceRequest(), "h2", usd("5"));

        assertThat(r.admitted()).isFalse();
        assertThat(r.heldBefore().balance()).isEqualTo(usd("6").nanos());
        clock.advance(Duration.ofMinutes(10));
        assertThat(reserve(balanceRequest(), "h3", usd("10")).admitted()).isTrue();
    }

    @Test
    void renewingAfterSettleOrReleaseIsANoOp() {
        fill();
        reserve(balanceRequest(), "settled", usd("2"));
        reserve(balanceRequest(), "released", usd("2"));
        cache.settle("settled", usage("req-1", usd("2")), clock.instant(), SHANGHAI);
        cache.release(USER, "released");

        assertThat(cache.renew(USER, "settled", clock.instant().plus(Duration.ofHours(1)))).isFalse();
        assertThat(cache.renew(USER, "released", clock.instant().plus(Duration.ofHours(1)))).isFalse();

        assertAdmittedWithNothingHeld("h2", usd("8"));
    }

    @Test
    void aLapsedHoldCannotBeRenewed() {
        holdOnAFilledCache("6");
        clock.advance(Duration.ofMinutes(6));
        // the next reservation of the user purges the lapsed hold
        assertThat(reserve(balanceRequest(), "h2", usd("1")).heldBefore()).isEqualTo(Holds.NONE);

        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(5)))).isFalse();

        assertThat(reserve(balanceRequest(), "h3", usd("9")).admitted()).isTrue();
    }

    @Test
    void renewingAnotherUsersOrAnUnknownHoldIsFalse() {
        holdOnAFilledCache("6");

        assertThat(cache.renew(USER + 1, "h1", clock.instant().plus(Duration.ofHours(1)))).isFalse();
        assertThat(cache.renew(USER, "never-held", clock.instant().plus(Duration.ofHours(1)))).isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(reserve(balanceRequest(), "h2", usd("10")).admitted()).isTrue();
    }

    @Test
    void renewingToAnEarlierExpiryKeepsTheLaterOne() {
        holdOnAFilledCache("6");

        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(1)))).isTrue();

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(reserve(balanceRequest(), "h2", usd("5")).admitted()).isFalse();
    }

    @Test
    void invalidRenewalsAreRejected() {
        assertThatThrownBy(() -> cache.renew(USER, " ", clock.instant())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.renew(USER, "h1", null)).isInstanceOf(NullPointerException.class);
    }
}
