package dev.quota.bench;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * redis-server CPU per call of the Redis adapter: a bounded {@code main} on {@link RedisEnvironment}
 * (embedded redis-server, warm cache) that runs rounds of raw {@link BillingCache#check} calls and rounds of
 * first-time {@link BillingCache#applyUsage} calls and rounds of {@link BillingCache#reserve} calls (each hold
 * released at once with one {@code HDEL}, which is not a script call, so the holds hash stays small), one thread, and prints after each round the server's own
 * figures: {@code INFO commandstats}' {@code usec_per_call} of the script command ({@code evalsha} or
 * {@code fcall}; for a check, which runs no script, the usec of its plain commands per check), reset before each
 * round, and the server process's CPU time per call over the round
 * ({@code INFO cpu}, user + system: it includes reading and answering the call, and unlike
 * {@code usec_per_call} it does not grow while other processes hold the cores). The lowest round of each kind is the least disturbed by other load
 * on the machine. The kind {@code pair} runs instead {@link #pairs}: check + record + outbox acknowledgement as
 * the gate runs them, with the client thread's CPU per pair.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.ScriptCost [rounds] [callsPerRound] [all|both|check|record|reserve|pair]
 * </pre>
 *
 * Defaults: 5 rounds of 2,000 calls of all three kinds ({@code both} = check and record). With {@link RedisEnvironment#EXTERNAL_PROPERTY} it runs on
 * a private server of one's own (for instance one under {@code valgrind --tool=callgrind}, whose instruction
 * counts do not depend on the other load of the machine). Nothing is asserted: the figures are printed for a human to read.
 */
public final class ScriptCost {

    /** Records per outbox acknowledgement in {@link #pairs}: the gate's acknowledger's batch. */
    static final int ACK_BATCH = 500;

    private ScriptCost() {
    }

    /**
     * The lowest figures over the rounds.
     *
     * @param checkMicros the usec of a check's commands (it runs no script) per check, microseconds
     * @param checkCpuMicros server CPU per check, microseconds
     * @param recordMicros {@code usec_per_call} of a record, microseconds
     * @param recordCpuMicros server CPU per record, microseconds
     * @param reserveMicros {@code usec_per_call} of a reservation, microseconds
     * @param checkCommands commands the server counted per check in the last check round
     * @param recordCalls script calls the server counted in the last record round
     * @param reserveCalls script calls the server counted in the last reserve round
     */
    record Figures(double checkMicros, double checkCpuMicros, double recordMicros, double recordCpuMicros,
                   double reserveMicros, double checkCommands, long recordCalls, long reserveCalls) {
    }

    /**
     * Runs the rounds and prints the figures.
     *
     * @param args optional: rounds (default 5), calls per round (default 2,000), kinds (default all)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String kinds = args.length > 2 ? args[2] : "all";
        if (rounds < 1 || rounds > 1_000 || calls < 1 || calls > 1_000_000
                || !List.of("all", "both", "check", "record", "reserve", "pair").contains(kinds)) {
            throw new IllegalArgumentException(
                    "rounds 1..1000, calls 1..1000000, kinds all|both|check|record|reserve|pair");
        }
        if (kinds.equals("pair")) {
            try (RedisEnvironment env = RedisEnvironment.start(1)) {
                for (int r = 0; r < rounds; r++) {
                    pairs(env, calls);
                }
            }
            return;
        }
        boolean all = kinds.equals("all");
        boolean both = all || kinds.equals("both");
        try (RedisEnvironment env = RedisEnvironment.start(1)) {
            Figures f = measure(env, rounds, both || kinds.equals("check") ? calls : 0,
                    both || kinds.equals("record") ? calls : 0, all || kinds.equals("reserve") ? calls : 0, true);
            System.out.printf(Locale.ROOT, "lowest: check %.2f us (server CPU %.2f us), record %.2f us (server CPU"
                    + " %.2f us), reserve %.2f us (%d rounds of %d calls)%n", f.checkMicros(), f.checkCpuMicros(),
                    f.recordMicros(), f.recordCpuMicros(), f.reserveMicros(), rounds, calls);
        }
    }

    /**
     * Runs rounds of raw checks and first-time records on a warm environment, one thread.
     *
     * @param env the environment
     * @param rounds rounds of each kind
     * @param checkCalls checks per round (0 = none)
     * @param recordCalls records per round (0 = none)
     * @param reserveCalls reservations per round, each released at once (0 = none)
     * @param print true to print each round's figures
     * @return the lowest figures (0 for a kind not run)
     */
    static Figures measure(RedisEnvironment env, int rounds, int checkCalls, int recordCalls, int reserveCalls,
                           boolean print) {
        BillingCache cache = env.cache();
        RedisClient redis = env.redis();
        CacheCheck[] checks = cacheChecks();
        SplittableRandom random = new SplittableRandom(42);
        String prefix = "cost-" + System.nanoTime() + "-";
        long seq = 0;
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long[] counted = new long[3];
        double checkCommands = 0;
        Instant holdExpiry = Workload.NOW.plus(Duration.ofMinutes(5));
        for (int r = 0; r < rounds; r++) {
            resetStats(redis);
            double cpu0 = serverCpuMicros(redis);
            for (int i = 0; i < checkCalls; i++) {
                cache.check(checks[random.nextInt(checks.length)]);
            }
            double checkCpu = (serverCpuMicros(redis) - cpu0) / Math.max(1, checkCalls);
            double[] check = commandStats(redis, checkCalls);
            resetStats(redis);
            cpu0 = serverCpuMicros(redis);
            for (int i = 0; i < recordCalls; i++) {
                int user = 1 + random.nextInt(Workload.USERS);
                cache.applyUsage(Workload.event(prefix + seq++, user), Workload.NOW, Workload.ZONE);
            }
            double recordCpu = (serverCpuMicros(redis) - cpu0) / Math.max(1, recordCalls);
            double[] record = scriptStats(redis);
            resetStats(redis);
            for (int i = 0; i < reserveCalls; i++) {
                CacheCheck c = checks[random.nextInt(checks.length)];
                String holdId = prefix + "h" + seq++;
                cache.reserve(c, new Hold(holdId, Workload.COST, holdExpiry));
                cache.release(c.request().userId(), holdId);
            }
            double[] reserve = scriptStats(redis);
            best[0] = Math.min(best[0], check[1]);
            best[1] = Math.min(best[1], checkCpu);
            best[2] = Math.min(best[2], record[1]);
            best[3] = Math.min(best[3], recordCpu);
            checkCommands = check[0];
            counted[1] = (long) record[0];
            best[4] = Math.min(best[4], reserve[1]);
            counted[2] = (long) reserve[0];
            if (print) {
                System.out.printf(Locale.ROOT, "round %d: check %.2f us (server CPU %.2f us), record %.2f us"
                        + " (server CPU %.2f us), reserve %.2f us per call%n", r + 1, check[1], checkCpu,
                        record[1], recordCpu, reserve[1]);
            }
        }
        return new Figures(best[0], best[1], best[2], best[3], best[4], checkCommands, counted[1], counted[2]);
    }

    /**
     * The whole Redis side of check + record, as the gate runs it: {@code pairs} times a raw check and a
     * first-time record of the same user, and every {@value #ACK_BATCH} records one outbox acknowledgement of
     * them (the gate's acknowledger takes up to that many keys per round; the outbox splits them by shard), the
     * rest at the end. One thread; prints the client thread's CPU time per pair (user + system, so the socket
     * calls count; {@link ThreadMXBean}), which leaves the server out. On a server under callgrind the slope
     * between two values of {@code pairs} is the server's cost of one pair.
     *
     * @param env the environment
     * @param pairs check + record pairs
     */
    static void pairs(RedisEnvironment env, int pairs) {
        BillingCache cache = env.cache();
        UsageOutbox outbox = env.outbox();
        CacheCheck[] checks = cacheChecks();
        SplittableRandom random = new SplittableRandom(42);
        String prefix = "pair-" + System.nanoTime() + "-";
        List<UsageKey> unacknowledged = new ArrayList<>(ACK_BATCH);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < pairs; i++) {
            int u = random.nextInt(checks.length);
            cache.check(checks[u]);
            UsageEvent event = Workload.event(prefix + i, u + 1);
            cache.applyUsage(event, Workload.NOW, Workload.ZONE);
            unacknowledged.add(UsageKey.of(event));
            if (unacknowledged.size() == ACK_BATCH) {
                outbox.acknowledge(unacknowledged);
                unacknowledged.clear();
            }
        }
        outbox.acknowledge(unacknowledged);
        double micros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / pairs;
        System.out.printf(Locale.ROOT, "pairs %d: client thread CPU %.2f us per pair; outbox entries left %d%n",
                pairs, micros, outbox.size());
    }

    /** @return the raw checks of users 1 to {@link Workload#USERS}, at index {@code userId - 1} */
    static CacheCheck[] cacheChecks() {
        CheckRequest[] requests = Workload.requests(true);
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(Workload.ZONE);
        CacheCheck[] checks = new CacheCheck[requests.length];
        for (int i = 0; i < requests.length; i++) {
            checks[i] = new CacheCheck(requests[i], evaluator.rpmPlan(requests[i], OptionalLong.empty()),
                    Workload.NOW, Workload.ZONE);
        }
        return checks;
    }

    private static void resetStats(RedisClient redis) {
        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    }

    /** used_cpu_user + used_cpu_sys of the server process, in microseconds. */
    private static double serverCpuMicros(RedisClient redis) {
        String info = redis.info("cpu");
        double total = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return total * 1e6;
    }

    /**
     * {commands per operation, usec per operation} of every command since the last reset but {@code INFO} and
     * {@code CONFIG}: what a check, which runs no script, costs.
     */
    private static double[] commandStats(RedisClient redis, int operations) {
        String info = redis.info("commandstats");
        long calls = 0;
        long usec = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")
                    && !line.startsWith("cmdstat_config")) {
                calls += Long.parseLong(field(line, "calls="));
                usec += Long.parseLong(field(line, "usec="));
            }
        }
        int n = Math.max(1, operations);
        return new double[] {(double) calls / n, (double) usec / n};
    }

    /** {calls, usec_per_call} of evalsha, eval or fcall, whichever ran most calls since the last reset. */
    private static double[] scriptStats(RedisClient redis) {
        String info = redis.info("commandstats");
        double[] best = {0, 0};
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_fcall:")
                    || line.startsWith("cmdstat_eval:")) {
                long n = Long.parseLong(field(line, "calls="));
                if (n > best[0]) {
                    best[0] = n;
                    best[1] = Double.parseDouble(field(line, "usec_per_call="));
                }
            }
        }
        return best;
    }

    private static String field(String line, String name) {
        int at = line.indexOf(name) + name.length();
        int end = line.indexOf(',', at);
        return line.substring(at, end < 0 ? line.length() : end);
    }
}
