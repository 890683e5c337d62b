package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.GROUP;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.QuotaListener.BreakerState;
import dev.quota.core.Reservation;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.InvalidDataException;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.InMemoryQuota;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A row that cannot be decoded is its user's problem: that user is denied with BILLING_DATA_INVALID, everyone
 * else is served, and the circuit breaker, which counts infrastructure failures only, stays closed.
 */
class BillingGateInvalidDataTest extends GateTest {

    private static final long BAD = 1;
    private static final long GOOD = 2;
    private static final int THRESHOLD = 3;

    private BillingGate gate;

    @Override
    InMemoryQuota stack() {
        InMemoryQuota quota = GateFixture.quota();
        quota.balances().set(BAD, usd("5"));
        quota.balances().set(GOOD, usd("5"));
        return quota;
    }

    @BeforeEach
    void setUp() {
        gate = open(q.gateBuilder().balances(new BadRowBalances(q.balances())).subscriptions(new BadRowSubscriptions(q.subscriptions()))
                .circuitBreaker(THRESHOLD, java.time.Duration.ofSeconds(30), 1));
    }

    private static CheckRequest balanceMode(long user) {
        return CheckRequest.builder(user).noGroupRpmOverride().build();
    }

    private static CheckRequest subscriptionMode(long user) {
        return CheckRequest.builder(user).noGroupRpmOverride().subscriptionGroup(GROUP,
                new PeriodLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited()), Limit.unlimited())
                .subscribed(true).build();
    }

    @Test
    void aBadBalanceRowDeniesOnlyItsUserAndKeepsTheBreakerClosed() {
        for (int i = 0; i < THRESHOLD * 2; i++) {
            Decision d = gate.check(balanceMode(BAD));
            assertThat(d.reason()).isEqualTo(DenyReason.BILLING_DATA_INVALID);
            assertThat(d.httpStatus()).isEqualTo(500);
        }
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(gate.check(balanceMode(GOOD)).allowed()).isTrue();
    }

    @Test
    void aBadSubscriptionRowDeniesOnlyItsUserAndKeepsTheBreakerClosed() {
        for (int i = 0; i < THRESHOLD * 2; i++) {
            assertThat(gate.check(subscriptionMode(BAD)).reason()).isEqualTo(DenyReason.BILLING_DATA_INVALID);
        }
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(gate.check(balanceMode(GOOD)).allowed()).isTrue();
    }

    @Test
    void aReservationOfAUserWithABadRowIsDeniedWithoutAHold() {
        for (int i = 0; i < THRESHOLD * 2; i++) {
            Reservation r = gate.reserve(balanceMode(BAD), usd("1"));
            assertThat(r.decision().reason()).isEqualTo(DenyReason.BILLING_DATA_INVALID);
            assertThat(r.held()).isFalse();
        }
        assertThat(gate.metrics().breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(gate.reserve(balanceMode(GOOD), usd("1")).held()).isTrue();
    }

    private static InvalidDataException badRow(String table, long user) {
        return new InvalidDataException(table + " row of user " + user + ": unknown status 'active'");
    }

    /** The in-memory balances, except that the row of user {@link #BAD} cannot be decoded. */
    private record BadRowBalances(BalanceStore store) implements BalanceStore {
        @Override
        public Optional<Money> find(long userId) {
            if (userId == BAD) {
                throw badRow("quota_balance", userId);
            }
            return store.find(userId);
        }

        @Override
        public void set(long userId, Money balance) {
            store.set(userId, balance);
        }

        @Override
        public Money credit(long userId, Money amount) {
            return store.credit(userId, amount);
        }

        @Override
        public Optional<Money> deduct(long userId, Money amount) {
            return store.deduct(userId, amount);
        }

        @Override
        public Optional<Money> deductIfAtLeast(long userId, Money amount, Money floor) {
            return store.deductIfAtLeast(userId, amount, floor);
        }

        @Override
        public dev.quota.core.BalanceChange adjust(long userId, Money delta, String operationId) {
            return store.adjust(userId, delta, operationId);
        }
    }

    /** The in-memory subscriptions, except that the rows of user {@link #BAD} cannot be decoded. */
    private record BadRowSubscriptions(SubscriptionStore store) implements SubscriptionStore {
        @Override
        public Optional<SubscriptionState> find(long userId, long groupId) {
            if (userId == BAD) {
                throw badRow("quota_subscription", userId);
            }
            return store.find(userId, groupId);
        }

        @Override
        public void save(SubscriptionState state) {
            store.save(state);
        }

        @Override
        public Optional<SubscriptionState> addUsage(long userId, long groupId, Money cost, Instant now) {
            return store.addUsage(userId, groupId, cost, now);
        }
    }
}
