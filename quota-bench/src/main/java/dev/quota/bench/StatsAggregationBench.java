package dev.quota.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Aggregating one business day of a large ledger (1,000,000 rows by default) on PostgreSQL, side by side in one
 * run:
 * <ol>
 *   <li><b>quota day</b>: {@code JdbcQuota.aggregates().day(...)}, the day's global and per-user statistics with
 *       every figure (totals, retried requests, distinct models and platforms) in two grouped queries;</li>
 *   <li><b>quota aggregateDay</b>: {@code StatsAggregator.aggregateDay} on top of it, i.e. plus the upserts of
 *       the global row and one row per user;</li>
 *   <li><b>seed global</b>: the seed's {@code aggregate_daily_stats}, one query per figure (count, errors, sums,
 *       fallback count, distinct models, distinct providers: 6 queries);</li>
 *   <li><b>seed global + users</b>: plus its {@code aggregate_user_daily_stats} for every user of the day (the
 *       list of users, then count, errors and sums per user: 1 + 3 queries per user).</li>
 * </ol>
 * Before timing, the figures of both ways are compared (global and every user); a difference fails the run. The
 * day is generated in the database ({@code stats_aggregation.sql}) into tables with their own prefix
 * ({@value #PREFIX}), and kept between runs when it already holds the requested rows ({@code --reload} forces a
 * new one). Every mode runs {@code --runs} times (default 3, interleaved); best and median are printed with the
 * load average. Nothing is asserted about speed.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.StatsAggregationBench --rows 1000000 --users 1000
 * </pre>
 *
 * The database is {@code QUOTA_BENCH_POSTGRES_URL} (default {@value SqlWriterBench#DEFAULT_URL}), or
 * {@code --url}.
 */
public final class StatsAggregationBench {

    /** The table prefix of the benchmark's tables. */
    public static final String PREFIX = "qagg_";
    /** The most rows one run generates. */
    public static final int MAX_ROWS = 5_000_000;
    /** The most users the rows are spread over. */
    public static final int MAX_USERS = 100_000;

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    private static final Instant NOW = Instant.parse("2026-11-21T02:00:00Z");

    /** One mode's timings. */
    public record Result(String mode, int queries, long[] nanos) {
        /** @return the fastest run in ms */
        public double bestMs() {
            return Arrays.stream(nanos).min().orElse(0) / 1e6;
        }

        /** @return the median run in ms */
        public double medianMs() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / 1e6;
        }
    }

    private StatsAggregationBench() {
    }

    /**
     * @param args {@code --url U}, {@code --rows N} (default 1,000,000, at most {@value #MAX_ROWS}),
     *             {@code --users N} (default 1,000, at most {@value #MAX_USERS}), {@code --runs N} (default 3,
     *             1 to 20), {@code --reload} (generate the day again)
     */
    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("QUOTA_BENCH_POSTGRES_URL", SqlWriterBench.DEFAULT_URL);
        int rows = 1_000_000;
        int users = 1_000;
        int runs = 3;
        boolean reload = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--reload" -> reload = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        run(url, rows, users, runs, reload, System.out);
    }

    /**
     * Generates the day when needed, checks both ways agree, times every mode and prints the table.
     *
     * @param url the JDBC URL (PostgreSQL, or H2 for the smoke test)
     * @param rows ledger rows of the day, 1 to {@value #MAX_ROWS}
     * @param users users they are spread over, 1 to {@value #MAX_USERS} and at most {@code rows}
     * @param runs timed runs per mode, 1 to 20
     * @param reload whether to generate the day even when it is already there
     * @param out where to print
     * @return the results, in mode order
     */
    public static List<Result> run(String url, int rows, int users, int runs, boolean reload, PrintStream out) {
        if (rows < 1 || rows > MAX_ROWS || users < 1 || users > MAX_USERS || users > rows || runs < 1 || runs > 20) {
            throw new IllegalArgumentException("need 1 <= users <= rows <= " + MAX_ROWS + ", users <= " + MAX_USERS
                    + ", 1 <= runs <= 20: rows " + rows + ", users " + users + ", runs " + runs);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        config.setPoolName("quota-bench-stats");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcQuota quota = JdbcQuota.builder(pool).tablePrefix(PREFIX).zone(ZONE)
                    .clock(Clock.fixed(NOW, ZONE)).build();
            quota.installSchema();
            Jdbi jdbi = Jdbi.create(pool);
            Map<String, String> sql = statements(quota.dialect());
            long from = DAY.atStartOfDay(ZONE).toInstant().toEpochMilli();
            long to = DAY.plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli();
            long loadMs = prepare(jdbi, sql, quota.dialect(), rows, users, from, to, reload);
            StatsAggregator aggregator = StatsAggregator.builder(quota.usageLog(), quota.statistics())
                    .clock(Clock.fixed(NOW, ZONE)).zone(ZONE).aggregates(quota.aggregates()).build();
            Supplier<List<DailyStats>> quotaDay = () -> quota.aggregates().day(DAY,
                    Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
            Seed seed = new Seed(jdbi, sql, from, to);
            compare(quotaDay.get(), seed.global(), seed.users());

            List<Supplier<Object>> modes = List.of(quotaDay::get, () -> aggregator.aggregateDay(DAY), seed::global,
                    () -> {
                        seed.global();
                        return seed.users();
                    });
            long[][] nanos = new long[modes.size()][runs];
            for (int r = 0; r < runs; r++) {
                for (int m = 0; m < modes.size(); m++) {
                    long t0 = System.nanoTime();
                    modes.get(m).get();
                    nanos[m][r] = System.nanoTime() - t0;
                }
            }
            List<Result> results = List.of(
                    new Result("quota: aggregates().day, global + per user, every figure", 2, nanos[0]),
                    new Result("quota: StatsAggregator.aggregateDay (+ upsert of " + (users + 1) + " rows)", 2,
                            nanos[1]),
                    new Result("seed: global day, one query per figure", 6, nanos[2]),
                    new Result("seed: global + per-user days, one query per figure", 7 + 3 * users, nanos[3]));
            print(out, url, quota.dialect(), rows, users, loadMs, results);
            return results;
        }
    }

    /** Generates the day unless it is there already; returns the ms it took (0 when kept). */
    private static long prepare(Jdbi jdbi, Map<String, String> sql, Dialect dialect, int rows, int users, long from,
                                long to, boolean reload) {
        long have = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + PREFIX + "usage_log")
                .mapTo(Long.class).one());
        long haveUsers = have == 0 ? 0 : jdbi.withHandle(h -> h.createQuery(
                "SELECT COUNT(DISTINCT user_id) FROM " + PREFIX + "usage_log").mapTo(Long.class).one());
        if (!reload && have == rows && haveUsers == users) {
            return 0;
        }
        long t0 = System.nanoTime();
        jdbi.useHandle(h -> {
            for (String t : List.of("usage_log", "usage_hourly", "stats_daily", "stats_summary")) {
                h.execute("DELETE FROM " + PREFIX + t);
            }
            h.createUpdate(sql.get("fill." + (dialect == Dialect.POSTGRESQL ? "postgresql" : "h2")))
                    .bind("n", (long) rows).bind("users", (long) users).bind("from", from).bind("to", to).execute();
            if (dialect == Dialect.POSTGRESQL) {
                h.execute("ANALYZE " + PREFIX + "usage_log");
            }
        });
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The seed's queries, one figure each, on one connection per call. */
    private record Seed(Jdbi jdbi, Map<String, String> sql, long from, long to) {

        /** requests, errors, 11 sums, fallback, models, providers. */
        long[] global() {
            return jdbi.withHandle(h -> {
                long[] out = new long[16];
                out[0] = one(h, "seed.count", -1);
                out[1] = one(h, "seed.errors", -1);
                long[] sums = row(h, "seed.sums", -1, 11);
                System.arraycopy(sums, 0, out, 2, 11);
                out[13] = one(h, "seed.fallback", -1);
                out[14] = one(h, "seed.models", -1);
                out[15] = one(h, "seed.providers", -1);
                return out;
            });
        }

        /** Per user: requests, errors, 4 token sums, total cost. */
        Map<Long, long[]> users() {
            return jdbi.withHandle(h -> {
                List<Long> ids = h.createQuery(sql.get("seed.users")).bind("from", from).bind("to", to)
                        .mapTo(Long.class).list();
                Map<Long, long[]> out = new HashMap<>();
                for (long user : ids) {
                    long[] v = new long[7];
                    v[0] = one(h, "seed.user_count", user);
                    v[1] = one(h, "seed.user_errors", user);
                    System.arraycopy(row(h, "seed.user_sums", user, 5), 0, v, 2, 5);
                    out.put(user, v);
                }
                return out;
            });
        }

        private long one(Handle h, String key, long user) {
            return row(h, key, user, 1)[0];
        }

        private long[] row(Handle h, String key, long user, int columns) {
            var q = h.createQuery(sql.get(key)).bind("from", from).bind("to", to);
            if (user >= 0) {
                q.bind("user", user);
            }
            return q.map((rs, ctx) -> {
                long[] v = new long[columns];
                for (int i = 0; i < columns; i++) {
                    v[i] = rs.getLong(i + 1);
                }
                return v;
            }).one();
        }
    }

    /** Both ways must give the same figures, or the comparison would be meaningless. */
    private static void compare(List<DailyStats> quota, long[] global, Map<Long, long[]> users) {
        DailyStats g = quota.get(0);
        UsageTotals t = g.totals();
        long[] mine = {t.requests(), t.errorRequests(), t.inputTokens(), t.outputTokens(), t.cacheCreationTokens(),
            t.cacheReadTokens(), t.totalCost().nanos(), t.actualCost().nanos(), t.inputCost().nanos(),
            t.outputCost().nanos(), t.cacheCreationCost().nanos(), t.cacheReadCost().nanos(), t.responseTimeMsSum(),
            g.retriedRequests(), g.distinctModels(), g.distinctPlatforms()};
        if (!Arrays.equals(mine, global)) {
            throw new IllegalStateException("global figures differ: quota " + Arrays.toString(mine) + ", seed "
                    + Arrays.toString(global));
        }
        if (quota.size() - 1 != users.size()) {
            throw new IllegalStateException("users differ: quota " + (quota.size() - 1) + ", seed " + users.size());
        }
        for (DailyStats u : quota.subList(1, quota.size())) {
            UsageTotals ut = u.totals();
            long[] q = {ut.requests(), ut.errorRequests(), ut.inputTokens(), ut.outputTokens(),
                ut.cacheCreationTokens(), ut.cacheReadTokens(), ut.totalCost().nanos()};
            if (!Arrays.equals(q, users.get(u.userId()))) {
                throw new IllegalStateException("user " + u.userId() + " differs: quota " + Arrays.toString(q)
                        + ", seed " + Arrays.toString(users.get(u.userId())));
            }
        }
    }

    private static void print(PrintStream out, String url, Dialect dialect, int rows, int users, long loadMs,
                              List<Result> results) {
        out.printf(Locale.ROOT, "Statistics of one business day (%s, %s) on %s (%s): %,d ledger rows, %,d users%s%n",
                DAY, ZONE, url.replaceAll("password=[^&]*", "password=***"), dialect, rows, users,
                loadMs > 0 ? String.format(Locale.ROOT, " (generated in %,d ms)", loadMs) : " (kept from a previous run)");
        out.println("  figures agree: global (totals, retried, distinct models/platforms) and every user");
        double seedAll = results.get(3).medianMs();
        for (Result r : results) {
            out.printf(Locale.ROOT, "  %-66s %,6d queries  best %,9.1f ms  median %,9.1f ms  (%.2fx faster than seed"
                    + " global + users)%n", r.mode(), r.queries(), r.bestMs(), r.medianMs(), seedAll / r.medianMs());
        }
        out.println("  load average: " + loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static Map<String, String> statements(Dialect dialect) {
        String text = resource("dev/quota/bench/stats_aggregation.sql").replace("${prefix}", PREFIX);
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : (text + "\n-- name: end").split("\n")) {
            if (line.startsWith("-- name: ")) {
                if (name != null) {
                    out.put(name, body.toString().trim());
                }
                name = line.substring("-- name: ".length()).trim();
                body.setLength(0);
            } else if (!line.startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = StatsAggregationBench.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
