package dev.quota.demo;

import dev.quota.core.money.Money;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.TrendPoint;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated gateway saw: decisions by outcome, and per user the balance in SQL and in Redis, the
 * ledger's totals and the daily trend in the business zone.
 *
 * @param outcomes decisions by outcome ({@code ALLOWED} or a deny code)
 * @param users per-user results
 * @param ledgerRows rows in the usage ledger
 * @param recordedRequests requests the gateway recorded
 * @param redisScriptCalls EVALSHA/EVAL calls Redis served
 * @param elapsedMillis wall-clock time of the simulation
 */
public record DemoReport(Map<String, Long> outcomes, List<UserResult> users, long ledgerRows, long recordedRequests,
                         long redisScriptCalls, long elapsedMillis) {

    /**
     * One user's results.
     *
     * @param id the user
     * @param name the name
     * @param sqlBalance balance in SQL, or null for a subscriber
     * @param redisBalance balance in Redis, or null when not cached
     * @param totals ledger totals
     * @param daily daily trend
     */
    public record UserResult(long id, String name, Money sqlBalance, Money redisBalance, UsageTotals totals,
                             List<TrendPoint> daily) {
    }

    static DemoReport collect(DemoEnvironment env, Instant from, Instant to, Map<String, Long> outcomes,
                              Map<Long, Long> recorded, long elapsedMillis) {
        List<UserResult> users = new ArrayList<>();
        for (SimulatedGateway.User u : SimulatedGateway.USERS) {
            Money sqlBalance = u.subscriber() ? null : env.sql().balances().find(u.id()).orElse(null);
            Money redisBalance = u.subscriber() ? null : env.cachedBalance(u.id());
            UsageFilter filter = UsageFilter.all().withUser(u.id()).between(from, to);
            users.add(new UserResult(u.id(), u.name(), sqlBalance, redisBalance, env.sql().reports().totals(filter),
                    env.sql().reports().trend(filter, Granularity.DAY)));
        }
        long rows = env.sql().reports().totals(UsageFilter.all()).requests();
        long recordedRequests = recorded.values().stream().mapToLong(Long::longValue).sum();
        return new DemoReport(outcomes, users, rows, recordedRequests, scriptCalls(env), elapsedMillis);
    }

    private static long scriptCalls(DemoEnvironment env) {
        String info = env.redis().info("commandstats");
        long calls = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String field = line.substring(line.indexOf("calls=") + 6);
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }

    /** @return decisions of every kind */
    public long decisions() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Prints the report for a human.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        DateTimeFormatter day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(DemoEnvironment.ZONE);
        out.println();
        out.println("Quota demo: a simulated AI-API gateway on embedded Redis + H2 (business zone "
                + DemoEnvironment.ZONE + ")");
        out.println("-------------------------------------------------------------------------------");
        out.printf("%d decisions in %d ms of wall-clock time; %d requests recorded, %d rows in the SQL ledger%n",
                decisions(), elapsedMillis, recordedRequests, ledgerRows);
        out.printf("Redis script calls: %d for %d decisions + %d records (one round trip each)%n",
                redisScriptCalls, decisions(), recordedRequests);
        out.println();
        out.println("Decisions by outcome:");
        new TreeMap<>(outcomes).forEach((k, v) -> out.printf("  %-40s %6d%n", k, v));
        out.println();
        for (UserResult u : users) {
            out.printf("%s (user %d): %d requests, charged %s USD, %d tokens%n", u.name(), u.id(),
                    u.totals().requests(), u.totals().actualCost().toPlainString(), u.totals().totalTokens());
            if (u.sqlBalance() != null) {
                out.printf("  balance: SQL %s USD, Redis %s USD%n", u.sqlBalance().toPlainString(),
                        u.redisBalance() == null ? "(not cached)" : u.redisBalance().toPlainString());
            }
            for (TrendPoint p : u.daily()) {
                out.printf("  %s  %4d requests  %s USD%n", day.format(p.start()), p.totals().requests(),
                        p.totals().actualCost().toPlainString());
            }
        }
        out.println();
    }
}
