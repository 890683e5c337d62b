package dev.quota.bench;

import dev.quota.bench.compare.BucketPeer;
import dev.quota.bench.compare.CaseResult;
import dev.quota.bench.compare.Ceiling;
import dev.quota.bench.compare.ClosedLoop;
import dev.quota.bench.compare.ComparisonReport;
import dev.quota.bench.compare.CountingClient;
import dev.quota.bench.compare.LocalJmh;
import dev.quota.bench.compare.PrivateRedis;
import dev.quota.bench.compare.QuotaSide;
import dev.quota.bench.compare.ServerStats;
import dev.quota.core.Reservation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import redis.clients.jedis.Jedis;

/**
 * One bounded command that measures Quota's Redis path side by side with Bucket4j's Jedis backend on a private
 * redis-server, and writes a Markdown report (issue 13):
 *
 * <pre>
 * mvn -B -q -pl quota-bench -am package -DskipTests
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.RedisComparison            # about 11 minutes
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.RedisComparison --quick    # about 1.5 minutes
 * </pre>
 *
 * <p>In one run: starts a private redis-server ({@link PrivateRedis}); runs the {@code redis-benchmark} ceiling
 * ({@link Ceiling}) before the first round and after the last; runs, in each round, for 1,000 users and then for
 * one hot user, with N client threads in a closed loop ({@link ClosedLoop}): Bucket4j's check, Quota's check,
 * Quota's check pipelined, Bucket4j's check, Quota's check + record, Quota's check + record pipelined, Bucket4j's
 * check, Quota's reserve + settle (interleaved, so that drift of the machine hurts both alike; the pipelined cases
 * run with {@code RedisQuotaOptions.Builder#pipelining}); then redis-server's time per script on one thread; stops the server; runs
 * the JMH pair ({@link LocalJmh}); writes the report ({@link ComparisonReport}).
 *
 * <p>Options: {@code --quick}; {@code --out FILE} (default {@value #DEFAULT_OUT}); {@code --results FILE}
 * (also replace the marked section of that RESULTS.md, appending it when absent); {@code --server
 * auto|system|embedded}; {@code --threads N} (16); {@code --rounds N}; {@code --warmup S} and {@code --seconds S}
 * per case (decimals allowed); {@code --probe N} calls per one-thread probe; {@code --ceiling-requests N};
 * {@code --pipelining N} connections of the pipelined cases (2; 0 leaves those cases out); {@code --no-jmh}.
 */
public final class RedisComparison {

    /** Where the report goes unless {@code --out} says otherwise (relative to the working directory). */
    public static final String DEFAULT_OUT = "quota-bench/target/redis-comparison.md";

    /** What the two sides hold and do, for the report. */
    private static final String SIDES = "Every limit is far above what the run reaches (nothing is meant to be "
            + "denied); Quota's clock is fixed, so windows never roll. Quota: `BillingGate` on `RedisQuota` with the "
            + "in-memory testkit stores as the SQL side, a fresh warmed gate per case; balance, 3 platform windows, "
            + "3 API key windows, group and user RPM per check. Bucket4j (`BucketLimits`): per user one bucket of 8 "
            + "bandwidths (balance, the 3 platform and 3 key windows, user RPM) and per group one bucket (group RPM), "
            + "one token per request; a check is `tryConsume(1)` on both, each a compare-and-swap (`GET` + `EVAL`). "
            + "Details: quota-bench/README.md, \"Redis comparison\".";

    private RedisComparison() {
    }

    /**
     * The parsed command line.
     *
     * @param quick the short smoke mode
     * @param out the report file
     * @param results a RESULTS.md whose marked section to replace, or null
     * @param server which redis-server binary
     * @param threads client threads per case
     * @param rounds rounds of interleaved cases
     * @param warmupSeconds unmeasured seconds before each case's measured period
     * @param seconds measured seconds per case
     * @param probeCalls calls per one-thread probe
     * @param ceilingRequests requests per redis-benchmark run
     * @param pipelining connections of the pipelined cases, 0 to leave them out
     * @param jmh whether to run the JMH pair
     */
    public record Options(boolean quick, Path out, Path results, PrivateRedis.Binary server, int threads, int rounds,
                          double warmupSeconds, double seconds, int probeCalls, int ceilingRequests, int pipelining,
                          boolean jmh) {

        /**
         * @param args the command line
         * @return the options
         * @throws IllegalArgumentException on an unknown option or a bad value
         */
        public static Options parse(String... args) {
            boolean quick = List.of(args).contains("--quick");
            Path out = Path.of(DEFAULT_OUT);
            Path results = null;
            PrivateRedis.Binary server = PrivateRedis.Binary.AUTO;
            int threads = 16;
            int rounds = quick ? 1 : 3;
            double warmup = quick ? 1 : 2;
            double seconds = quick ? 3 : 10;
            int probe = quick ? 300 : 2_000;
            int ceiling = quick ? 100_000 : 300_000;
            int pipelining = 2;
            boolean jmh = true;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> { }
                    case "--no-jmh" -> jmh = false;
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--results" -> results = Path.of(value(args, ++i, a));
                    case "--server" ->
                            server = PrivateRedis.Binary.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT));
                    case "--threads" -> threads = (int) number(args, ++i, a, 1, 256);
                    case "--rounds" -> rounds = (int) number(args, ++i, a, 1, 20);
                    case "--warmup" -> warmup = number(args, ++i, a, 0, 600);
                    case "--seconds" -> seconds = number(args, ++i, a, 0.05, 600);
                    case "--probe" -> probe = (int) number(args, ++i, a, 1, 1_000_000);
                    case "--ceiling-requests" -> ceiling = (int) number(args, ++i, a, 1, 100_000_000);
                    case "--pipelining" -> pipelining = (int) number(args, ++i, a, 0, 64);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (known: --quick, --out F,"
                            + " --results F, --server auto|system|embedded, --threads N, --rounds N, --warmup S,"
                            + " --seconds S, --probe N, --ceiling-requests N, --pipelining N, --no-jmh)");
                }
            }
            return new Options(quick, out, results, server, threads, rounds, warmup, seconds, probe, ceiling,
                    pipelining, jmh);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            return args[i];
        }

        private static double number(String[] args, int i, String name, double min, double max) {
            return OptionValues.number(name, value(args, i, name), min, max);
        }
    }

    /**
     * Runs the comparison and writes the report.
     *
     * @param args see the class description
     */
    public static void main(String[] args) {
        Options o = OptionValues.parseOrExit(args, Options::parse);
        String report = ComparisonReport.render(run(o));
        System.out.println();
        System.out.println(report);
        System.out.println("report written to " + o.out().toAbsolutePath()
                + (o.results() != null ? " and " + o.results().toAbsolutePath() : ""));
    }

    /**
     * Runs the comparison and writes the report to {@link Options#out()} (and into {@link Options#results()}).
     *
     * @param o the options
     * @return everything the run measured (what the report shows)
     */
    public static ComparisonReport.Data run(Options o) {
        long t0 = System.nanoTime();
        Map<String, String> machine = new LinkedHashMap<>();
        List<Ceiling.Result> ceilings = new ArrayList<>();
        List<CaseResult> runs = new ArrayList<>();
        List<CaseResult> probes = new ArrayList<>();
        String ceilingNote = null;
        machine(machine);
        try (PrivateRedis server = PrivateRedis.start(o.server())) {
            machine.put("Redis", server.description() + ", redis_version " + server.version()
                    + ", loopback port " + server.port() + ", `--save \"\" --appendonly no`");
            progress("redis-server %s (%s) on port %d", server.version(), server.description(), server.port());
            machine.put("Load average at the start", String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            String bench = Ceiling.executable().orElse(null);
            if (bench == null) {
                ceilingNote = "redis-benchmark is not on the PATH";
                progress("redis-benchmark is not on the PATH: no ceiling");
            } else {
                ceilings.add(ceiling(bench, server.port(), o));
            }
            String prefix = "cmp-" + Long.toString(System.currentTimeMillis(), 36) + "-";
            try (CountingClient client = new CountingClient(server.port(), o.threads() + 16);
                 Jedis stats = new Jedis("127.0.0.1", server.port())) {
                BucketPeer peer = new BucketPeer(client.redis());
                for (int u = 1; u <= Workload.USERS; u++) {
                    peer.check(u);
                }
                Runner runner = new Runner(o, client, stats, peer, prefix);
                for (int round = 1; round <= o.rounds(); round++) {
                    for (String population : List.of(ComparisonReport.USERS, ComparisonReport.HOT)) {
                        for (String operation : List.of("check", "check + record", "reserve + settle")) {
                            runs.add(runner.bucket4j(population, round));
                            runs.add(runner.quota(population, operation, round));
                            if (o.pipelining() > 0 && !operation.equals("reserve + settle")) {
                                runs.add(runner.quota(population, operation + ComparisonReport.PIPELINED, round));
                            }
                        }
                    }
                }
                probes.addAll(runner.probes());
            }
            if (bench != null) {
                ceilings.add(ceiling(bench, server.port(), o));
            }
        }
        List<LocalJmh.Score> jmh = List.of();
        String jmhNote = null;
        if (o.jmh()) {
            progress("JMH: %s", LocalJmh.BENCHMARKS);
            jmh = o.quick() ? LocalJmh.run(1, 3, 1) : LocalJmh.run(2, 4, 2);
        } else {
            jmhNote = "skipped (`--no-jmh`)";
        }
        String settings = String.format(Locale.ROOT, "%s, %s: %d client threads in a closed loop, %d round(s) of "
                        + "interleaved cases, each %.1f s warm-up + %.1f s measured; one-thread probes of %,d calls; "
                        + "whole run %.0f s. ", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                o.quick() ? "`--quick`" : "full run", o.threads(), o.rounds(), o.warmupSeconds(), o.seconds(),
                o.probeCalls(), (System.nanoTime() - t0) / 1e9) + SIDES + busy(runs);
        ComparisonReport.Data data = new ComparisonReport.Data(
                "Quota's Redis path beside Bucket4j (`RedisComparison`)", settings, machine, ceilings, ceilingNote,
                runs, probes, jmh, jmhNote);
        write(o, ComparisonReport.render(data));
        return data;
    }

    /** A warning when the machine was busier than its cores during the cases, else nothing. */
    private static String busy(List<CaseResult> runs) {
        int cores = Runtime.getRuntime().availableProcessors();
        double max = runs.stream().mapToDouble(r -> r.loop().loadAverage()).max().orElse(0);
        if (max <= cores) {
            return "";
        }
        return String.format(Locale.ROOT, "%n%n**The machine was busy: load average up to %.1f on %d cores during "
                + "the cases.** Other processes took CPU from the client and the server, unevenly; read ratios as "
                + "rough and rerun on a quiet machine before quoting one.", max, cores);
    }

    private static void write(Options o, String report) {
        try {
            Path parent = o.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(o.out(), report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + o.out(), e);
        }
        if (o.results() != null) {
            ComparisonReport.replaceSection(o.results(), report);
        }
    }

    private static Ceiling.Result ceiling(String bench, int port, Options o) {
        Ceiling.Result c = Ceiling.run(bench, port, o.threads(), o.ceilingRequests());
        progress("ceiling: redis-benchmark EVALSHA %,.0f requests/s (load %.2f)", c.requestsPerSecond(),
                c.loadAverage());
        return c;
    }

    private static void machine(Map<String, String> m) {
        Runtime rt = Runtime.getRuntime();
        m.put("CPU", cpuModel() + ", " + rt.availableProcessors() + " cores visible to the JVM");
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + (rt.maxMemory() >> 20) + " MiB");
        m.put("Jedis", mavenVersion("redis.clients", "jedis"));
        m.put("Bucket4j", mavenVersion("com.bucket4j", "bucket4j_jdk17-core") + " (`bucket4j_jdk17-jedis` "
                + mavenVersion("com.bucket4j", "bucket4j_jdk17-jedis") + ", built against Jedis 4.4.6 and run "
                + "unchanged on the Jedis above: the `UnifiedJedis` methods it calls are the same)");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the model stays unknown
        }
        return "CPU model unknown";
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RedisComparison.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void progress(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, format, args));
    }

    /** Runs the cases and probes of one comparison against one server. */
    private static final class Runner {
        private final Options o;
        private final CountingClient client;
        private final Jedis stats;
        private final BucketPeer peer;
        private final String prefix;
        private int quotaCases;

        Runner(Options o, CountingClient client, Jedis stats, BucketPeer peer, String prefix) {
            this.o = o;
            this.client = client;
            this.stats = stats;
            this.peer = peer;
            this.prefix = prefix;
        }

        CaseResult bucket4j(String population, int round) {
            return measure(population, ComparisonReport.BUCKET4J, "check", round,
                    (user, thread, seq) -> peer.check(user));
        }

        /**
         * One Quota case; an operation ending in {@link ComparisonReport#PIPELINED} runs with the script calls
         * pipelined on {@link Options#pipelining()} connections.
         */
        CaseResult quota(String population, String operation, int round) {
            boolean pipelined = operation.endsWith(ComparisonReport.PIPELINED);
            String base = pipelined ? operation.substring(0, operation.length() - ComparisonReport.PIPELINED.length())
                    : operation;
            try (QuotaSide quota = new QuotaSide(client.redis(), prefix + "c" + (++quotaCases) + "-",
                    pipelined ? o.pipelining() : 0)) {
                ClosedLoop.Operation op = switch (base) {
                    case "check" -> (user, thread, seq) -> quota.check(user);
                    case "check + record" -> (user, thread, seq) -> quota.checkAndRecord(user, thread + "-" + seq);
                    case "reserve + settle" -> (user, thread, seq) -> quota.reserveAndSettle(user, thread + "-" + seq);
                    default -> throw new IllegalArgumentException(operation);
                };
                return measure(population, ComparisonReport.QUOTA, operation, round, op);
            }
        }

        private CaseResult measure(String population, String side, String operation, int round,
                                   ClosedLoop.Operation op) {
            System.gc();
            Readings readings = new Readings();
            int users = population.equals(ComparisonReport.HOT) ? 1 : Workload.USERS;
            ClosedLoop.Result r = ClosedLoop.run(o.threads(), users, millis(o.warmupSeconds()), millis(o.seconds()),
                    op, readings);
            ServerStats server = readings.serverAfter.minus(readings.serverBefore);
            Map<String, Long> sent = delta(readings.clientAfter, readings.clientBefore);
            if (operation.endsWith(ComparisonReport.PIPELINED)) {
                // pipelined script calls go out on the adapter's own connections, past the counting executor;
                // only a client sends script commands (no script runs one), so the server's count is what was sent
                for (String name : CaseResult.SCRIPT_COMMANDS) {
                    Long calls = server.calls().get(name);
                    if (calls != null) {
                        sent.merge(name, calls, Math::max);
                    }
                }
            }
            CaseResult result = new CaseResult(population, side, operation, round, r, sent, server);
            progress("round %d, %s, %s %s: %,.0f ops/s, p50 %.0f µs, p99 %.0f µs, server CPU %.1f µs/op, "
                            + "load %.2f%s", round, population, side, operation, r.opsPerSecond(), r.p50Micros(),
                    r.p99Micros(), result.serverCpuMicrosPerOp(), r.loadAverage(),
                    r.denied() > 0 ? ", NOT ALLOWED: " + r.denied() : "");
            return result;
        }

        /** The one-thread probes: each Quota operation alone, then Bucket4j's check. */
        List<CaseResult> probes() {
            List<CaseResult> out = new ArrayList<>();
            int n = o.probeCalls();
            try (QuotaSide quota = new QuotaSide(client.redis(), prefix + "probe-")) {
                out.add(probe("check", n, quota, i -> quota.check(user(i)) ? 0 : 1));
                out.add(probe("record", n, quota, i -> {
                    quota.record(user(i), "r" + i);
                    return 0;
                }));
                Reservation[] held = new Reservation[n];
                out.add(probe("reserve", n, quota, i -> {
                    held[i] = quota.reserve(user(i));
                    return held[i].held() && !held[i].local() ? 0 : 1;
                }));
                out.add(probe("settle", n, quota, i -> {
                    quota.settle(held[i], user(i), "s" + i);
                    return 0;
                }));
            }
            CaseResult b = probe(ComparisonReport.BUCKET4J, "check", n, null, i -> peer.check(user(i)) ? 0 : 1);
            out.add(b);
            return out;
        }

        private CaseResult probe(String operation, int n, QuotaSide quota, Call call) {
            return probe(ComparisonReport.QUOTA, operation, n, quota, call);
        }

        private CaseResult probe(String side, String operation, int n, QuotaSide quota, Call call) {
            Map<String, Long> c0 = client.counts();
            ServerStats s0 = ServerStats.read(stats);
            long denied = 0;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                denied += call.run(i);
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            if (quota != null) {
                quota.gate().flush();
            }
            ServerStats delta = ServerStats.read(stats).minus(s0);
            Map<String, Long> sent = delta(client.counts(), c0);
            CaseResult r = new CaseResult(ComparisonReport.ONE_THREAD, side, operation, 0,
                    new ClosedLoop.Result(n, denied, seconds, Double.NaN, Double.NaN, Double.NaN,
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()),
                    sent, delta);
            progress("probe %s %s: %.1f µs of commands per call", side, operation, r.commandMicrosPerOp());
            return r;
        }

        private static int user(int i) {
            return 1 + i % Workload.USERS;
        }

        private static long millis(double seconds) {
            return Math.round(seconds * 1000);
        }

        private static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
            Map<String, Long> d = new LinkedHashMap<>();
            after.forEach((k, v) -> {
                long x = v - before.getOrDefault(k, 0L);
                if (x > 0) {
                    d.put(k, x);
                }
            });
            return d;
        }

        /** One call of a probe; returns 1 when the operation was not allowed as intended. */
        private interface Call {
            int run(int i);
        }

        /** The counters read when the measured period opens and closes. */
        private final class Readings implements ClosedLoop.Window {
            Map<String, Long> clientBefore;
            Map<String, Long> clientAfter;
            ServerStats serverBefore;
            ServerStats serverAfter;

            @Override
            public void opened() {
                clientBefore = client.counts();
                serverBefore = ServerStats.read(stats);
            }

            @Override
            public void closed() {
                clientAfter = client.counts();
                serverAfter = ServerStats.read(stats);
            }
        }
    }

}
