package dev.quota.testkit;

import dev.quota.core.spi.Pingable;
import dev.quota.core.BalanceChange;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.UsageEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link BalanceStore}: balances in exact nano-units in a concurrent map, every change one
 * atomic map operation. Failures can be injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBalanceStore extends FaultInjectedFake implements BalanceStore, Pingable {

    private final Map<Long, Money> balances = new ConcurrentHashMap<>();
    /** Applied operation ids per user; guarded by {@code this} together with the balance they changed. */
    private final Map<Long, Set<String>> operations = new HashMap<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemoryBalanceStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryBalanceStore(Faults faults) {
        super(faults);
    }

    @Override
    public Optional<Money> find(long userId) {
        faults.beforeCall("BalanceStore.find");
        return Optional.ofNullable(balances.get(userId));
    }

    @Override
    public void set(long userId, Money balance) {
        Objects.requireNonNull(balance, "balance");
        faults.beforeCall("BalanceStore.set");
        balances.put(userId, balance);
    }

    @Override
    public Money credit(long userId, Money amount) {
        requireNotNegative(amount);
        faults.beforeCall("BalanceStore.credit");
        return balances.merge(userId, amount, Money::plus);
    }

    @Override
    public Optional<Money> deduct(long userId, Money amount) {
        requireNotNegative(amount);
        faults.beforeCall("BalanceStore.deduct");
        return Optional.ofNullable(balances.computeIfPresent(userId, (id, old) -> old.minus(amount)));
    }

    @Override
    public Optional<Money> deductIfAtLeast(long userId, Money amount, Money floor) {
        requireNotNegative(amount);
        Objects.requireNonNull(floor, "floor");
        faults.beforeCall("BalanceStore.deductIfAtLeast");
        Money[] result = new Money[1];
        balances.computeIfPresent(userId, (id, old) -> {
            Money left = old.minus(amount);
            if (!left.isAtLeast(floor)) {
                return old;
            }
            result[0] = left;
            return left;
        });
        return Optional.ofNullable(result[0]);
    }

    @Override
    public BalanceChange adjust(long userId, Money delta, String operationId) {
        if (delta == null) {
            throw new IllegalArgumentException("delta must not be null");
        }
        UsageEvent.requireId(operationId, "operationId");
        faults.beforeCall("BalanceStore.adjust");
        synchronized (this) {
            if (!operations.computeIfAbsent(userId, id -> new HashSet<>()).add(operationId)) {
                return new BalanceChange(balances.getOrDefault(userId, Money.ZERO), false);
            }
            return new BalanceChange(balances.merge(userId, delta, Money::plus), true);
        }
    }

    /** Subtracts, creating the balance at zero first when absent; for {@link InMemoryUsageLedger}. */
    Money debitCreatingQuietly(long userId, Money amount) {
        return balances.merge(userId, Money.ZERO.minus(amount), Money::plus);
    }

    /** Removes every balance (does not count as a call and ignores injected faults). */
    public void clear() {
        balances.clear();
        synchronized (this) {
            operations.clear();
        }
    }

    private static void requireNotNegative(Money amount) {
        if (amount == null) {
            throw new IllegalArgumentException("amount must not be null");
        }
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
    }

    /**
     * Fails while this fake's {@link Faults#down() faults say the backend is down}; counts no call and consumes no
     * pending failure.
     *
     * @throws dev.quota.core.BackendUnavailableException while down
     */
    @Override
    public void ping() {
        if (faults.down()) {
            throw new dev.quota.core.BackendUnavailableException("BalanceStore is down (injected)");
        }
    }
}
