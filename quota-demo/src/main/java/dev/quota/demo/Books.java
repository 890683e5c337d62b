package dev.quota.demo;

import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.demo.DemoUsers.User;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.TrendPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's own books, read back after the run from SQL and Redis, and the verdict on them: every balance
 * user's start − charged = SQL = Redis to the nano, every subscriber's monthly usage in SQL = the ledger, ledger
 * rows = requests recorded, and overspend within the stated bound.
 *
 * @param users per-user books by user id
 * @param ledgerRows rows in the SQL ledger
 * @param verdict the checks that failed, empty when the books balance
 * @param bound the overspend bound, for a human
 */
public record Books(Map<Long, UserBooks> users, long ledgerRows, List<String> verdict, String bound) {

    /**
     * One user's books.
     *
     * @param ledger the user's ledger totals
     * @param sqlBalance the balance in SQL, or {@code null} for a subscriber
     * @param redisBalance the balance in Redis, or {@code null} for a subscriber or when not cached
     * @param subscriptionUsed the subscription's monthly usage in SQL, or {@code null} for a balance user
     * @param worstDay the subscriber's most expensive day in the ledger, or {@code null} for a balance user
     */
    public record UserBooks(UsageTotals ledger, Money sqlBalance, Money redisBalance, Money subscriptionUsed,
                            Money worstDay) {
    }

    /** @return whether the books balance */
    public boolean balanced() {
        return verdict.isEmpty();
    }

    /**
     * Reads the books and judges them. Before reading Redis, lets every balance entry be refilled (dirty markers
     * dropped, a check without RPM for a user Redis holds no balance for), so that Redis is compared for every
     * balance user.
     *
     * @param env the environment
     * @param run what the traffic did
     * @return the books
     */
    static Books read(DemoEnvironment env, RunResult run) {
        env.dropDirtyMarkers();
        env.gate().flush();
        for (User u : run.users()) {
            if (!u.subscriber() && env.cachedBalance(u.id()) == null) {
                env.gate().check(SimulatedGateway.request(u, false));
            }
        }
        env.gate().flush();
        Map<Long, UserBooks> users = new LinkedHashMap<>();
        for (User u : run.users()) {
            UsageFilter filter = UsageFilter.all().withUser(u.id());
            UsageTotals ledger = env.sql().reports().totals(filter);
            if (u.subscriber()) {
                Money used = env.sql().subscriptions().find(u.id(), u.plan().groupId())
                        .map(SubscriptionState::monthly).map(w -> Money.ofNanos(w.used())).orElse(null);
                Money worst = Money.ZERO;
                for (TrendPoint p : env.sql().reports().trend(filter.between(run.from(), run.to()), Granularity.DAY)) {
                    worst = Money.max(worst, p.totals().actualCost());
                }
                users.put(u.id(), new UserBooks(ledger, null, null, used, worst));
            } else {
                users.put(u.id(), new UserBooks(ledger, env.sql().balances().find(u.id()).orElse(null),
                        env.cachedBalance(u.id()), null, null));
            }
        }
        long rows = env.sql().reports().totals(UsageFilter.all()).requests();
        return judge(run, users, rows);
    }

    private static Books judge(RunResult run, Map<Long, UserBooks> users, long rows) {
        List<String> wrong = new ArrayList<>();
        Money max = run.maxCharge();
        if (rows != run.recorded()) {
            wrong.add("ledger rows " + rows + " != requests recorded " + run.recorded());
        }
        for (User u : run.users()) {
            UserBooks b = users.get(u.id());
            Money charged = b.ledger().actualCost();
            Money gateway = run.perUser().get(u.id()).recorded().cost();
            if (!charged.equals(gateway)) {
                wrong.add(u.name() + ": ledger charged " + charged.toPlainString() + " != gateway recorded "
                        + gateway.toPlainString());
            }
            if (u.subscriber()) {
                if (b.subscriptionUsed() == null || !b.subscriptionUsed().equals(charged)) {
                    wrong.add(u.name() + ": subscription usage in SQL " + text(b.subscriptionUsed())
                            + " != ledger " + charged.toPlainString());
                }
                Money cap = Money.ofNanos(u.plan().limits().daily().cap());
                if (b.worstDay().compareTo(cap.plus(max)) > 0) {
                    wrong.add(u.name() + ": a day of " + b.worstDay().toPlainString() + " exceeds the daily cap "
                            + cap.toPlainString() + " + one request");
                }
                continue;
            }
            Money expected = u.startBalance().minus(charged);
            if (!expected.equals(b.sqlBalance()) || !expected.equals(b.redisBalance())) {
                wrong.add(u.name() + ": start - charged " + expected.toPlainString() + ", SQL "
                        + text(b.sqlBalance()) + ", Redis " + text(b.redisBalance()));
            }
            Money floor = u.id() == DemoUsers.BURST_USER ? Money.ZERO : max.negate();
            if (expected.compareTo(floor) < 0) {
                wrong.add(u.name() + ": balance " + expected.toPlainString() + " below the bound "
                        + floor.toPlainString());
            }
        }
        if (run.burst() != null) {
            long fit = DemoUsers.burstUser().startBalance().nanos() / run.burst().estimate().nanos();
            if (run.burst().admitted() != Math.min(fit, run.burst().attempts())) {
                wrong.add("burst: " + run.burst().admitted() + " reservations admitted, " + fit + " fit");
            }
        }
        String bound = "a balance may end below zero by at most one request, a subscriber's day may pass its cap by"
                + " at most one request (checked below, charged after), the largest charge being "
                + max.toPlainString() + " USD; reservations never overspend";
        return new Books(users, rows, wrong, bound);
    }

    private static String text(Money m) {
        return m == null ? "(none)" : m.toPlainString();
    }
}
