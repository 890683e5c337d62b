package dev.quota.jdbc;

import dev.quota.core.money.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.Pingable;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link BalanceStore} on the {@code balance} table: every change is one atomic UPDATE (or upsert). */
final class JdbcBalanceStore implements BalanceStore, Pingable {

    private final Db db;

    JdbcBalanceStore(Db db) {
        this.db = db;
    }

    /** One query of the balance table that reads no rows (see {@link Db#ping()}). */
    @Override
    public void ping() {
        db.ping();
    }

    @Override
    public Optional<Money> find(long userId) {
        return db.call("balance find", h -> read(h, userId));
    }

    @Override
    public void set(long userId, Money balance) {
        Objects.requireNonNull(balance, "balance");
        Args args = Args.of().put("userId", userId).put("amount", balance.nanos());
        db.tx("balance set", h -> {
            db.upsert(h, "balance.set", args);
            return null;
        });
    }

    @Override
    public Money credit(long userId, Money amount) {
        requireNotNegative(amount);
        Args args = Args.of().put("userId", userId).put("amount", amount.nanos());
        return db.tx("balance credit", h -> {
            db.upsert(h, "balance.credit", args);
            return read(h, userId).orElseThrow();
        });
    }

    @Override
    public Optional<Money> deduct(long userId, Money amount) {
        requireNotNegative(amount);
        return db.tx("balance deduct", h -> {
            int n = db.updateNamed(h, "balance.deduct").bind("userId", userId).bind("amount", amount.nanos()).execute();
            return n == 0 ? Optional.<Money>empty() : read(h, userId);
        });
    }

    @Override
    public Optional<Money> deductIfAtLeast(long userId, Money amount, Money floor) {
        requireNotNegative(amount);
        Objects.requireNonNull(floor, "floor");
        long required;
        try {
            // balance - amount >= floor  <=>  balance >= floor + amount; computed here so SQL cannot overflow.
            required = Math.addExact(floor.nanos(), amount.nanos());
        } catch (ArithmeticException tooHigh) {
            return Optional.empty(); // no BIGINT balance can reach it
        }
        return db.tx("balance conditional deduct", h -> {
            int n = db.updateNamed(h, "balance.deduct_if_at_least").bind("userId", userId)
                    .bind("amount", amount.nanos()).bind("required", required).execute();
            return n == 0 ? Optional.<Money>empty() : read(h, userId);
        });
    }

    /**
     * Subtracts {@code nanos}, creating the balance at zero first when absent, inside the caller's
     * transaction (the usage ledger's balance-mode step).
     */
    void debitCreating(Handle h, long userId, long nanos) {
        db.upsert(h, "balance.credit", debitArgs(userId, nanos));
    }

    /** The arguments of the {@code balance.credit} upsert that subtracts {@code nanos}. */
    static Args debitArgs(long userId, long nanos) {
        return Args.of().put("userId", userId).put("amount", Math.negateExact(nanos));
    }

    private Optional<Money> read(Handle h, long userId) {
        return db.queryNamed(h, "balance.find").bind("userId", userId)
                .map((rs, ctx) -> Money.ofNanos(rs.getLong(1))).findOne();
    }

    private static void requireNotNegative(Money amount) {
        if (amount == null) {
            throw new IllegalArgumentException("amount must not be null");
        }
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
    }
}
