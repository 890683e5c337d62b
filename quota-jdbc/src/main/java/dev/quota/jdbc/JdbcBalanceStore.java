package dev.quota.jdbc;

import dev.quota.core.BalanceChange;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.Pingable;
import dev.quota.core.UsageEvent;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * {@link BalanceStore} on the {@code balance} table: every change is one atomic UPDATE (or upsert). Idempotent
 * changes ({@link #adjust}) record their operation id in {@code balance_operation} in the same transaction.
 */
final class JdbcBalanceStore implements BalanceStore, Pingable {

    private final Db db;
    private final Clock clock;

    JdbcBalanceStore(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
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

    @Override
    public BalanceChange adjust(long userId, Money delta, String operationId) {
        if (delta == null) {
            throw new IllegalArgumentException("delta must not be null");
        }
        UsageEvent.requireId(operationId, "operationId");
        Args op = Args.of().put("userId", userId).put("operationId", operationId).put("amount", delta.nanos())
                .put("createdAt", clock.millis());
        return db.tx("balance adjust", h -> {
            boolean seen = db.queryNamed(h, "balance_operation.find").bind("userId", userId)
                    .bind("operationId", operationId).mapTo(Integer.class).findOne().isPresent();
            if (seen) {
                return new BalanceChange(read(h, userId).orElse(Money.ZERO), false);
            }
            try {
                op.bindTo(db.updateNamed(h, "balance_operation.insert")).execute();
            } catch (JdbiException e) {
                if (Db.isDuplicateKey(Db.sqlCause(e))) {
                    // a concurrent call with the same id committed first: run again, it then finds the id
                    throw new Db.RetryableConflict("concurrent balance operation " + operationId, e);
                }
                throw e;
            }
            db.upsert(h, "balance.credit", Args.of().put("userId", userId).put("amount", delta.nanos()));
            return new BalanceChange(read(h, userId).orElseThrow(), true);
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
