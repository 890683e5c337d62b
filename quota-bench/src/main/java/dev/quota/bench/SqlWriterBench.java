package dev.quota.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.Money;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.UsageEvent;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL writer, side by side in one run on one database (PostgreSQL by default), in events per second:
 * <ol>
 *   <li><b>baseline</b>: one autocommitted single-row INSERT per event into the ledger table (no counters);</li>
 *   <li><b>apply</b>: {@code ledger().apply} one event at a time (one transaction per event, counters included:
 *       the old writer's shape);</li>
 *   <li><b>store</b>: {@code ledger().store} in batches ({@code --batch}, default 1,000): one transaction per
 *       batch, multi-row INSERTs, counter deltas summed per row;</li>
 *   <li><b>writer</b>: {@link BatchingUsageWriter} end to end ({@code submit} every event, then {@code flush}).</li>
 * </ol>
 * Each mode first writes {@code --warmup} events unmeasured (JIT, pool, server caches), then the measured
 * ones. Every mode writes its own fresh request ids; events are spread over {@value #USERS} users (each with an API
 * key and platform {@code anthropic}, balance mode), so the counter work is realistic. The tables use their own
 * prefix ({@code qbench_}) and are emptied (TRUNCATE) before every mode. The store mode also prints the median
 * and the fastest tenth of its per-batch times (ms per {@code store} call), which a loaded machine moves less than
 * the whole run's rate.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.SqlWriterBench --events 20000 --batch 500
 * </pre>
 *
 * The database is {@code QUOTA_BENCH_POSTGRES_URL} (default
 * {@value #DEFAULT_URL}), or {@code --url}. Nothing is asserted: figures are printed for a human.
 */
public final class SqlWriterBench {

    /** The database used unless {@code QUOTA_BENCH_POSTGRES_URL} or {@code --url} says otherwise. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** Users the events are spread over. */
    public static final int USERS = 1_000;
    /** The table prefix of the benchmark's tables. */
    public static final String PREFIX = "qbench_";

    private static final String APPLICATION = "quota-bench-sql-writer";
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final List<String> TABLES = List.of("balance", "subscription", "platform_quota", "window_counter",
            "usage_log", "usage_hourly", "usage_dead_letter", "api_key_usage", "api_key_model_usage");

    /** One mode's figure. */
    public record Result(String mode, int events, long nanos, long rows, long serverCpuNanos, long clientCpuNanos) {
        /** @return events per second */
        public double perSecond() {
            return events * 1e9 / Math.max(1, nanos);
        }
    }

    private SqlWriterBench() {
    }

    /**
     * @param args {@code --url U}, {@code --events N} (default 20,000; the baseline and apply modes write a
     *             fifth of them, at least 1,000, to keep the run short), {@code --batch N} (default 1,000, the writer's default),
     *             {@code --warmup N} (default 2,000 unmeasured events per mode first), {@code --threads N} (the
     *             writer threads of the last mode, default 2)
     */
    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("QUOTA_BENCH_POSTGRES_URL", DEFAULT_URL);
        int events = 20_000;
        int batch = 1_000;
        int warmup = 2_000;
        int threads = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        run(url, events, batch, warmup, threads, System.out);
    }

    /**
     * Runs every mode and prints the table.
     *
     * @param url the JDBC URL
     * @param events events for the batched modes
     * @param batch events per {@code store} call
     * @param warmup events each mode writes first, not measured (JIT, connection pool and server caches warm up)
     * @param threads the writer threads of the last mode ({@code BatchingUsageWriter.Builder.threads})
     * @param out where to print
     * @return the results, in mode order
     */
    public static List<Result> run(String url, int events, int batch, int warmup, int threads, PrintStream out) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        config.setPoolName("quota-bench-sql");
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("ApplicationName", APPLICATION); // finds the backends for the CPU figures
        }
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcQuota quota = JdbcQuota.builder(pool).tablePrefix(PREFIX).zone(ZONE)
                    .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            quota.installSchema();
            int small = Math.max(1_000, events / 5);
            int warm = Math.max(1, warmup);
            baseline(pool, quota.dialect(), events("warm-baseline", warm));   // JIT, pool and server caches warm
            apply(pool, quota, events("warm-apply", warm));
            store(pool, quota, events("warm-store", warm), batch);
            writer(pool, quota, events("warm-writer", warm), batch, 1);
            writer(pool, quota, events("warm-writers", warm), batch, threads);
            List<Result> results = new ArrayList<>();
            results.add(cpu(pool, () -> baseline(pool, quota.dialect(), events("baseline", small))));
            results.add(cpu(pool, () -> apply(pool, quota, events("apply", small))));
            results.add(cpu(pool, () -> store(pool, quota, events("store", events), batch)));
            results.add(cpu(pool, () -> writer(pool, quota, events("writer", events), batch, 1)));
            results.add(cpu(pool, () -> writer(pool, quota, events("writers", events), batch, threads)));
            print(out, url, quota.dialect(), batch, results);
            return results;
        }
    }

    /**
     * Runs one mode and adds the CPU time it took: the benchmark's database backends (Linux {@code /proc}, same
     * host; 0 when unreadable) and this JVM. Unlike the wall-clock rate, CPU time per event hardly moves when other
     * processes load the machine (they delay the work, they do not add to it).
     */
    private static Result cpu(HikariDataSource pool, java.util.function.Supplier<Result> mode) {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long client = os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() : 0;
        java.util.Map<Long, Long> server = backendCpu(pool);
        Result r = mode.get();
        java.util.Map<Long, Long> after = backendCpu(pool);
        long serverNanos = 0;
        for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
            serverNanos += e.getValue() - server.getOrDefault(e.getKey(), 0L);
        }
        long clientNanos = os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() - client
                : 0;
        return new Result(r.mode(), r.events(), r.nanos(), r.rows(), serverNanos, clientNanos);
    }

    /** CPU time (user + system) of each backend serving this benchmark, by pid; empty when /proc is unreadable. */
    private static java.util.Map<Long, Long> backendCpu(HikariDataSource pool) {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, APPLICATION);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(1);
                    java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
                    String text = java.nio.file.Files.readString(stat);
                    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                    // fields 14 and 15 of stat (utime, stime), in clock ticks of 10 ms (USER_HZ 100 on Linux)
                    out.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return out;
    }

    static List<UsageEvent> events(String mode, int n) {
        List<UsageEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long user = 1 + i % USERS;
            out.add(UsageEvent.builder(mode + "-" + i, user).apiKeyId(Workload.keyId(user)).platform("anthropic")
                    .model(i % 2 == 0 ? "claude-sonnet-4" : "claude-haiku-4").tokens(1200, 300, 0, 0)
                    .totalCost(Money.ofNanos(8_100_000L + i % 7)).responseTimeMs(800 + i % 200)
                    .occurredAt(NOW.minusMillis(n - i)).build());
        }
        return out;
    }

    private static Result baseline(HikariDataSource pool, Dialect dialect, List<UsageEvent> events) {
        reset(pool);
        String sql = resource("dev/quota/bench/baseline_insert.sql").replace("${prefix}", PREFIX);
        long start = System.nanoTime();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            for (UsageEvent e : events) {
                int p = 1;
                ps.setString(p++, e.requestId());
                ps.setLong(p++, e.userId());
                ps.setLong(p++, e.apiKeyId());
                ps.setString(p++, e.platform());
                ps.setString(p++, e.model());
                ps.setLong(p++, e.tokens().input());
                ps.setLong(p++, e.tokens().output());
                ps.setLong(p++, e.costs().total().nanos());
                ps.setLong(p++, e.costs().actual().nanos());
                ps.setLong(p++, e.outcome().responseTimeMs());
                ps.setLong(p, e.occurredAt().toEpochMilli());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("baseline insert failed on " + dialect, e);
        }
        return new Result("baseline: 1 autocommitted INSERT per event, no counters", events.size(),
                System.nanoTime() - start, rows(pool), 0, 0);
    }

    private static Result apply(HikariDataSource pool, JdbcQuota quota, List<UsageEvent> events) {
        reset(pool);
        long start = System.nanoTime();
        for (UsageEvent e : events) {
            quota.ledger().apply(e, NOW, ZONE);
        }
        return new Result("ledger().apply per event (1 tx each, counters)", events.size(),
                System.nanoTime() - start, rows(pool), 0, 0);
    }

    private static Result store(HikariDataSource pool, JdbcQuota quota, List<UsageEvent> events, int batch) {
        reset(pool);
        long[] perBatch = new long[(events.size() + batch - 1) / batch];
        long start = System.nanoTime();
        long stored = 0;
        for (int i = 0; i < events.size(); i += batch) {
            long t = System.nanoTime();
            LedgerResult r = quota.ledger().store(events.subList(i, Math.min(events.size(), i + batch)), NOW, ZONE);
            perBatch[i / batch] = System.nanoTime() - t;
            stored += r.stored().size();
        }
        long nanos = System.nanoTime() - start;
        if (stored != events.size()) {
            throw new IllegalStateException("store stored " + stored + " of " + events.size());
        }
        java.util.Arrays.sort(perBatch);
        return new Result(String.format(Locale.ROOT, "ledger().store, batches of %d (median %.1f ms, p10 %.1f ms)",
                batch, perBatch[perBatch.length / 2] / 1e6, perBatch[perBatch.length / 10] / 1e6), events.size(),
                nanos, rows(pool), 0, 0);
    }

    private static Result writer(HikariDataSource pool, JdbcQuota quota, List<UsageEvent> events, int batch,
                                 int threads) {
        reset(pool);
        long start = System.nanoTime();
        try (BatchingUsageWriter writer = quota.usageWriter().batchSize(batch).threads(threads)
                .capacity(Math.max(events.size(), batch) + 1).build()) {
            for (UsageEvent e : events) {
                writer.submit(e);
            }
            writer.flush();
        }
        return new Result("BatchingUsageWriter end to end (batch " + batch + ", " + threads
                + (threads == 1 ? " thread)" : " threads)"), events.size(),
                System.nanoTime() - start, rows(pool), 0, 0);
    }

    private static void print(PrintStream out, String url, Dialect dialect, int batch, List<Result> results) {
        out.printf(Locale.ROOT, "SQL writer on %s (%s), %d users, batch %d%n", redact(url), dialect, USERS, batch);
        double base = results.get(0).perSecond();
        for (Result r : results) {
            out.printf(Locale.ROOT, "  %-62s %7d events %10.0f events/s  %6.2fx baseline  (%d rows)"
                    + "  CPU per event: server %.1f us, client %.1f us%n", r.mode(), r.events(), r.perSecond(),
                    r.perSecond() / base, r.rows(), r.serverCpuNanos() / 1e3 / r.events(),
                    r.clientCpuNanos() / 1e3 / r.events());
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /**
     * Empties the benchmark's tables with TRUNCATE (DELETE left every earlier mode's and run's rows behind as dead
     * tuples, so each run met more bloat than the one before: 424,000 dead ledger rows after a few runs).
     */
    private static void reset(HikariDataSource pool) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("TRUNCATE TABLE " + PREFIX + t);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("emptying the benchmark tables failed", e);
        }
    }

    private static long rows(HikariDataSource pool) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + PREFIX + "usage_log")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows failed", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = SqlWriterBench.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
