package dev.quota.demo;

import dev.quota.core.account.AccountUsage;
import dev.quota.core.account.AccountUsageService;
import dev.quota.core.account.SessionStatus;
import dev.quota.core.account.SessionWindow;
import dev.quota.core.account.UpstreamAccount;
import dev.quota.core.account.UsageWindow;
import dev.quota.core.Money;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.demo.DemoUsers.Plan;
import dev.quota.demo.DemoUsers.User;
import dev.quota.demo.RunResult.Traffic;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.testkit.FakeUpstreamUsageFetcher;
import dev.quota.testkit.MutableClock;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the demo prints, in the order an operator reads it: the run, plans per user, decisions by outcome,
 * the reservation burst, the outage, the held SQL writer (with {@code --hold-writer}), top users and models, daily
 * statistics, the hourly trend, upstream accounts, Redis round trips per operation, and last the verdict on the
 * books. Only simulated time and counts appear,
 * so the same seed and options print the same bytes.
 *
 * @param run what the traffic did
 * @param books the books read back
 * @param servers the servers, for a human
 * @param days simulated days
 * @param daily the daily statistics from the ledger
 * @param models charged cost by model from the ledger
 * @param accounts the upstream accounts' usage, one line each
 */
public record DemoReport(RunResult run, Books books, String servers, int days, List<DailyStats> daily,
                         List<ModelStats> models, List<String> accounts) {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(DemoEnvironment.ZONE);
    private static final int SAMPLE_USERS = 12;
    private static final int TOP = 8;
    private static final int BAR = 40;

    /**
     * Reads the books, the statistics and the accounts after a run.
     *
     * @param env the environment
     * @param run what the traffic did
     * @param days simulated days
     * @return the report
     */
    static DemoReport collect(DemoEnvironment env, RunResult run, int days) {
        Books books = Books.read(env, run);
        StatsAggregator stats = StatsAggregator.create(env.sql().usageLog(), env.sql().statistics(), env.clock(),
                DemoEnvironment.ZONE);
        List<DailyStats> daily = new ArrayList<>();
        LocalDate first = run.from().atZone(DemoEnvironment.ZONE).toLocalDate();
        for (int d = 0; d < days; d++) {
            daily.add(stats.aggregateDay(first.plusDays(d)));
        }
        List<ModelStats> models = new ArrayList<>(env.sql().reports().modelStats(UsageFilter.all()
                .between(run.from(), run.to())));
        models.sort(Comparator.comparing((ModelStats m) -> m.totals().actualCost()).reversed()
                .thenComparing(ModelStats::model));
        return new DemoReport(run, books, env.describe(), days, daily, models, accounts(env, run));
    }

    /** The accounts as seen during the last round of the run. */
    private static List<String> accounts(DemoEnvironment env, RunResult run) {
        MutableClock clock = MutableClock.startingAt(run.to().minus(SimulatedGateway.TICK).plusSeconds(60).toString());
        Instant now = clock.instant();
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher()
                .respond(901, new UpstreamUsage(UpstreamUsage.FIVE_HOUR, 62.5, now.plus(Duration.ofMinutes(130))),
                        new UpstreamUsage(UpstreamUsage.SEVEN_DAY, 31.0, now.plus(Duration.ofHours(100))));
        AccountUsageService service = AccountUsageService.builder().fetcher(fetcher)
                .usageLog(env.sql().usageLog()).clock(clock).zone(DemoEnvironment.ZONE).build();
        List<String> lines = new ArrayList<>();
        AccountUsage oauth = service.usage(UpstreamAccount.oauth(901));
        lines.add(window("901 oauth        5h", oauth.fiveHour()));
        oauth.sevenDay().ifPresent(w -> lines.add(window("901 oauth        7d", w)));
        AccountUsage setup = service.usage(UpstreamAccount.setupToken(902).withSessionWindow(
                new SessionWindow(now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(3)),
                        SessionStatus.ALLOWED_WARNING)));
        lines.add(window("902 setup-token  5h", setup.fiveHour()));
        UsageTotals today = service.todayStatistics(900);
        lines.add(String.format("%-19s  provider reports no usage; today through it: %6d requests %s USD",
                "900 api-key", today.requests(), usd(today.actualCost())));
        return lines;
    }

    private static String window(String name, UsageWindow w) {
        // the gateway's own figures come with the 5 h (session) window only, as in the seed gateway
        String gateway = w.statistics().map(s -> String.format(Locale.ROOT, "gateway: %6d requests %s USD",
                s.requests(), usd(s.actualCost()))).orElse("gateway figures: 5 h window only");
        return String.format(Locale.ROOT, "%-19s  %5.1f%% used, resets %s (in %3d min); %s", name,
                w.utilizationPercent(), w.resetsAt().map(MINUTE::format).orElse("?"), w.remainingSeconds() / 60,
                gateway);
    }

    /**
     * @param m an amount
     * @return it with 6 decimals, right-aligned in 12 characters
     */
    static String usd(Money m) {
        return m == null ? String.format("%12s", "-")
                : String.format("%12s", m.toBigDecimal().setScale(6, RoundingMode.HALF_UP).toPlainString());
    }

    /**
     * Prints the report for a human, the verdict last.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        header(out);
        plans(out);
        decisions(out);
        burst(out);
        outage(out);
        writerHold(out);
        top(out);
        dailyStats(out);
        hourly(out);
        accounts(out);
        roundTrips(out);
        verdict(out);
    }

    private static void title(PrintStream out, String title) {
        out.println();
        out.println(title);
        out.println("-".repeat(title.length()));
    }

    private void header(PrintStream out) {
        out.println("Quota demo: a simulated AI-API gateway");
        out.println("=".repeat(38));
        out.printf("seed %d, %d simulated day(s) from %s to %s (simulated time, %s), %d users%n", run.seed(), days,
                MINUTE.format(run.from()), MINUTE.format(run.to()), DemoEnvironment.ZONE, run.users().size());
        out.printf("servers: %s%n", servers);
        out.printf("%d decisions, %d requests recorded, %d rows in the SQL ledger%n", run.outcomes().total(),
                run.recorded(), books.ledgerRows());
    }

    private void plans(PrintStream out) {
        title(out, "Plans");
        out.printf("%-9s %5s %6s  %-38s %9s%n", "plan", "group", "users", "limits (USD)", "group RPM");
        // the group's RPM limit is counted per user in the group (a user x group counter)
        for (Plan p : Plan.values()) {
            long n = run.users().stream().filter(u -> u.plan() == p).count();
            String limits = p.subscription() ? String.format("daily %s, weekly %s, monthly %s",
                    Money.ofNanos(p.limits().daily().cap()).toPlainString(),
                    Money.ofNanos(p.limits().weekly().cap()).toPlainString(),
                    Money.ofNanos(p.limits().monthly().cap()).toPlainString()) : "prepaid balance";
            out.printf("%-9s %5d %6d  %-38s %9s%n", p.name().toLowerCase(Locale.ROOT), p.groupId(), n, limits,
                    p.groupRpm().isUnlimited() ? "-" : String.valueOf(p.groupRpm().cap()));
        }
        Map<String, Long> keys = new TreeMap<>();
        Map<String, Long> sources = new TreeMap<>();
        long rpm = 0;
        for (User u : run.users()) {
            keys.merge(u.keyLimitLabel(), 1L, Long::sum);
            sources.merge(u.authSource(), 1L, Long::sum);
            rpm += u.rpmLimit().isUnlimited() ? 0 : 1;
        }
        out.println("group RPM counts each user's requests in the group; API key limits (USD): "
                + keys.toString().replace("-=", "none=") + "; user RPM limit 3: " + rpm + " users");
        out.println("auth sources: " + sources + "; platform quota defaults (USD a day): anthropic 5 (github 0.4),"
                + " openai none (oidc 1.5)");
        out.println();
        out.printf("sample of %d users:%n", SAMPLE_USERS + 1);
        out.printf("%-8s %-8s %-7s %-8s %4s %12s %6s %6s %12s %12s  %s%n", "user", "plan", "auth", "key", "rpm",
                "start", "asked", "done", "charged", "end", "denials");
        List<User> sample = new ArrayList<>(run.users().subList(0, SAMPLE_USERS));
        sample.add(run.users().get(run.users().size() - 1));
        for (User u : sample) {
            RunResult.UserTraffic t = run.perUser().get(u.id());
            Books.UserBooks b = books.users().get(u.id());
            out.printf("%-8s %-8s %-7s %-8s %4s %s %6d %6d %s %s  %s%n", u.name(), u.plan().name().toLowerCase(Locale.ROOT),
                    u.authSource(), u.keyLimitLabel(), u.rpmLimit().isUnlimited() ? "-" : u.rpmLimit().cap(),
                    usd(u.startBalance()), t.decisions(), t.recorded().requests(), usd(t.recorded().cost()),
                    usd(b.sqlBalance()), t.denials().isEmpty() ? "-" : t.denials());
        }
    }

    private void decisions(PrintStream out) {
        title(out, "Decisions by outcome");
        tally(out, run.outcomes());
    }

    private static void tally(PrintStream out, DecisionTally tally) {
        out.printf("%-40s %4s %7s %12s  %s%n", "outcome", "HTTP", "count", "Retry-After", "e.g. user");
        for (DecisionTally.Row r : tally.rows().values()) {
            out.printf("%-40s %4d %7d %12s  %d%n", r.outcome(), r.httpStatus(), r.count(),
                    r.retryAfterSeconds() == null ? "-" : "min " + r.retryAfterSeconds() + " s", r.sampleUser());
        }
        out.printf("%-40s %4s %7d%n", "total", "", tally.total());
    }

    private void burst(PrintStream out) {
        RunResult.Burst b = run.burst();
        if (b == null) {
            return;
        }
        title(out, "Concurrent reservations (reserve/settle) on one user");
        out.printf("at %s: %d threads raced %d reservations of %s USD each for user %d (balance %s USD);%n",
                MINUTE.format(b.at()), b.threads(), b.attempts(), b.estimate().toPlainString(), DemoUsers.BURST_USER,
                DemoUsers.burstUser().startBalance().toPlainString());
        out.printf("%d admitted and settled (balance / estimate = %d whatever the interleaving), the rest denied:%n",
                b.admitted(), DemoUsers.burstUser().startBalance().nanos() / b.estimate().nanos());
        tally(out, b.decisions());
    }

    private void outage(PrintStream out) {
        RunResult.Outage o = run.outage();
        if (o.down() == null) {
            return;
        }
        title(out, "Fault: Redis down from " + MINUTE.format(o.down()) + " to " + MINUTE.format(o.up())
                + " (simulated)");
        out.println(o.how() + ";");
        out.println("checks were answered from SQL meanwhile and records stored in SQL without Redis; gate health"
                + " while down: " + o.healthWhileDown() + ", at the end: " + o.healthAfter());
        out.println("what the gate answered while Redis was down:");
        tally(out, o.decisions());
    }

    private void writerHold(PrintStream out) {
        RunResult.WriterHold h = run.writerHold();
        if (h == null) {
            return;
        }
        title(out, "Fault: SQL writer held back from " + MINUTE.format(h.from()) + " to " + MINUTE.format(h.to())
                + " (simulated)");
        out.println("the ledger the usage writer stores into blocked every store until released, while traffic went"
                + " on;");
        out.printf("%d requests recorded meanwhile (%s USD), charged in Redis at once; SQL ledger rows %d when held,"
                + " %d just before the release%n", h.recorded().requests(), usd(h.recorded().cost()).strip(),
                h.rowsWhenHeld(), h.rowsAtRelease());
        out.printf("at the peak, just before the release: %d events unsettled, the oldest waiting %d min (usage"
                + " pipeline %s, gate health %s);%n", h.unsettledAtPeak(), h.oldestWaiting().toMinutes(),
                h.pipelineAtPeak(), h.healthAtPeak());
        out.printf("the Redis outbox held the second copy: %d entries when held, %d at the peak%n",
                h.outboxWhenHeld(), h.outboxAtPeak());
        out.println("what the gate answered while the writer was held (every user's entries were loaded into Redis"
                + " as the hold began: limits enforced from Redis):");
        tally(out, h.decisions());
        out.printf("after the release: SQL ledger rows %d = requests recorded so far %d; outbox entries %d once"
                + " acknowledged; the books below balance with them%n", h.rowsAfter(), h.recordedAfter(),
                h.outboxAfter());
    }

    private void top(PrintStream out) {
        title(out, "Top users by cost");
        out.printf("%-8s %-8s %7s %10s %12s%n", "user", "plan", "requests", "tokens", "charged");
        run.users().stream()
                .sorted(Comparator.comparing((User u) -> run.perUser().get(u.id()).recorded().cost()).reversed()
                        .thenComparingLong(User::id))
                .limit(TOP)
                .forEach(u -> {
                    Traffic t = run.perUser().get(u.id()).recorded();
                    out.printf("%-8s %-8s %7d %10d %s%n", u.name(), u.plan().name().toLowerCase(Locale.ROOT), t.requests(),
                            t.tokens(), usd(t.cost()));
                });
        title(out, "Models by cost (from the SQL ledger)");
        out.printf("%-16s %8s %10s %12s%n", "model", "requests", "tokens", "charged");
        for (ModelStats m : models) {
            out.printf("%-16s %8d %10d %s%n", m.model(), m.totals().requests(), m.totals().totalTokens(),
                    usd(m.totals().actualCost()));
        }
    }

    private void dailyStats(PrintStream out) {
        title(out, "Daily statistics (StatsAggregator over the ledger, business days)");
        out.printf("%-10s %8s %10s %12s %6s %9s%n", "date", "requests", "tokens", "charged", "models", "platforms");
        for (DailyStats d : daily) {
            out.printf("%-10s %8d %10d %s %6d %9d%n", d.date(), d.totals().requests(), d.totals().totalTokens(),
                    usd(d.totals().actualCost()), d.distinctModels(), d.distinctPlatforms());
        }
    }

    private void hourly(PrintStream out) {
        title(out, "Requests by hour of day (all days, local time)");
        long[] requests = new long[24];
        Money[] cost = new Money[24];
        java.util.Arrays.fill(cost, Money.ZERO);
        int startHour = run.from().atZone(DemoEnvironment.ZONE).getHour();
        for (int i = 0; i < run.hourly().size(); i++) {
            int h = (startHour + i) % 24;
            requests[h] += run.hourly().get(i).requests();
            cost[h] = cost[h].plus(run.hourly().get(i).cost());
        }
        long max = java.util.Arrays.stream(requests).max().orElse(1);
        for (int h = 0; h < 24; h++) {
            int len = (int) (BAR * requests[h] / Math.max(1, max));
            out.printf("%02d:00 %-" + BAR + "s %6d %s%n", h, "#".repeat(len), requests[h], usd(cost[h]));
        }
    }

    private void accounts(PrintStream out) {
        title(out, "Upstream accounts (AccountUsageService, testkit's fake fetcher)");
        accounts.forEach(out::println);
    }

    private void roundTrips(PrintStream out) {
        title(out, "Redis round trips per operation (counted by the demo's client)");
        out.println("one more round after the run, on a warm cache: every user sends a request, one reserves and"
                + " releases");
        out.printf("%-16s %7s %7s %9s  %s%n", "operation", "calls", "trips", "per call", "commands");
        long total = 0;
        for (Map.Entry<String, Map<String, Long>> e : run.measured().trips().entrySet()) {
            long trips = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            total += trips;
            long n = run.measured().calls().getOrDefault(e.getKey(), 0L);
            out.printf("%-16s %7d %7d %9s  %s%n", e.getKey(), n, trips, String.format(Locale.ROOT, "%.3f", (double) trips / n),
                    e.getValue());
        }
        out.printf("%-16s %7s %7d%n", "total", "", total);
        out.println("Each is one round trip when the user's entries are in Redis: a check reads every limit and"
                + " counts RPM in one pipeline of plain commands (PIPELINE: HMGET, SET NX PX, INCR; a denied check takes"
                + " its RPM counts back in one more round trip, a script), a record applies the charge to every counter it touches and"
                + " appends it to the outbox in one script. Not in this table: outbox acknowledgements and refills,"
                + " sent in the background after the writer commits. During the run a check costs more when it"
                + " misses (after the restart, or while a dirty marker lives by Redis's wall clock) and is answered"
                + " from SQL; those counts depend on timing and go to stderr.");
    }

    private void verdict(PrintStream out) {
        title(out, "Books");
        long balanceUsers = run.users().stream().filter(u -> !u.subscriber()).count();
        out.printf("%d balance users: start - charged = SQL = Redis, to the nano; %d subscribers: monthly usage in"
                + " SQL = ledger%n", balanceUsers, run.users().size() - balanceUsers);
        out.printf("ledger rows %d, requests recorded %d%n", books.ledgerRows(), run.recorded());
        out.println("overspend bound: " + books.bound());
        if (books.balanced()) {
            out.println("books balance: OK");
        } else {
            books.verdict().forEach(line -> out.println("  differs: " + line));
            out.println("books balance: NOT OK (" + books.verdict().size() + " difference(s))");
        }
    }
}
