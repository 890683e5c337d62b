package dev.quota.bench;

import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * redis-server CPU per script call of the Redis adapter: a bounded {@code main} on {@link RedisEnvironment}
 * (embedded redis-server, warm cache) that runs rounds of raw {@link BillingCache#check} calls and rounds of
 * first-time {@link BillingCache#applyUsage} calls, one thread, and prints after each round the server's own
 * figures: {@code INFO commandstats}' {@code usec_per_call} of the script command ({@code evalsha} or
 * {@code fcall}), reset before each round, and the server process's CPU time per call over the round
 * ({@code INFO cpu}, user + system: it includes reading and answering the call, and unlike
 * {@code usec_per_call} it does not grow while other processes hold the cores). The lowest round of each kind is the least disturbed by other load
 * on the machine.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.ScriptCost [rounds] [callsPerRound] [both|check|record]
 * </pre>
 *
 * Defaults: 5 rounds of 2,000 calls of both kinds. With {@link RedisEnvironment#EXTERNAL_PROPERTY} it runs on
 * a private server of one's own (for instance one under {@code valgrind --tool=callgrind}, whose instruction
 * counts do not depend on the other load of the machine). Nothing is asserted: the figures are printed for a human to read.
 */
public final class ScriptCost {

    private ScriptCost() {
    }

    /**
     * The lowest figures over the rounds.
     *
     * @param checkMicros {@code usec_per_call} of a check, microseconds
     * @param checkCpuMicros server CPU per check, microseconds
     * @param recordMicros {@code usec_per_call} of a record, microseconds
     * @param recordCpuMicros server CPU per record, microseconds
     * @param checkCalls script calls the server counted in the last check round
     * @param recordCalls script calls the server counted in the last record round
     */
    record Figures(double checkMicros, double checkCpuMicros, double recordMicros, double recordCpuMicros,
                   long checkCalls, long recordCalls) {
    }

    /**
     * Runs the rounds and prints the figures.
     *
     * @param args optional: rounds (default 5), calls per round (default 2,000)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String kinds = args.length > 2 ? args[2] : "both";
        if (rounds < 1 || rounds > 1_000 || calls < 1 || calls > 1_000_000
                || !List.of("both", "check", "record").contains(kinds)) {
            throw new IllegalArgumentException("rounds 1..1000, calls 1..1000000, kinds both|check|record");
        }
        try (RedisEnvironment env = RedisEnvironment.start(1)) {
            Figures f = measure(env, rounds, kinds.equals("record") ? 0 : calls, kinds.equals("check") ? 0 : calls,
                    true);
            System.out.printf(Locale.ROOT, "lowest: check %.2f us (server CPU %.2f us), record %.2f us (server CPU"
                    + " %.2f us) (%d rounds of %d calls)%n", f.checkMicros(), f.checkCpuMicros(), f.recordMicros(),
                    f.recordCpuMicros(), rounds, calls);
        }
    }

    /**
     * Runs rounds of raw checks and first-time records on a warm environment, one thread.
     *
     * @param env the environment
     * @param rounds rounds of each kind
     * @param checkCalls checks per round (0 = none)
     * @param recordCalls records per round (0 = none)
     * @param print true to print each round's figures
     * @return the lowest figures (0 for a kind not run)
     */
    static Figures measure(RedisEnvironment env, int rounds, int checkCalls, int recordCalls, boolean print) {
        BillingCache cache = env.cache();
        RedisClient redis = env.redis();
        CheckRequest[] requests = Workload.requests(true);
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(Workload.ZONE);
        CacheCheck[] checks = new CacheCheck[requests.length];
        for (int i = 0; i < requests.length; i++) {
            checks[i] = new CacheCheck(requests[i], evaluator.rpmPlan(requests[i], OptionalLong.empty()),
                    Workload.NOW, Workload.ZONE);
        }
        SplittableRandom random = new SplittableRandom(42);
        String prefix = "cost-" + System.nanoTime() + "-";
        long seq = 0;
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long[] counted = new long[2];
        for (int r = 0; r < rounds; r++) {
            resetStats(redis);
            double cpu0 = serverCpuMicros(redis);
            for (int i = 0; i < checkCalls; i++) {
                cache.check(checks[random.nextInt(checks.length)]);
            }
            double checkCpu = (serverCpuMicros(redis) - cpu0) / Math.max(1, checkCalls);
            double[] check = scriptStats(redis);
            resetStats(redis);
            cpu0 = serverCpuMicros(redis);
            for (int i = 0; i < recordCalls; i++) {
                int user = 1 + random.nextInt(Workload.USERS);
                cache.applyUsage(Workload.event(prefix + seq++, user), Workload.NOW, Workload.ZONE);
            }
            double recordCpu = (serverCpuMicros(redis) - cpu0) / Math.max(1, recordCalls);
            double[] record = scriptStats(redis);
            best[0] = Math.min(best[0], check[1]);
            best[1] = Math.min(best[1], checkCpu);
            best[2] = Math.min(best[2], record[1]);
            best[3] = Math.min(best[3], recordCpu);
            counted[0] = (long) check[0];
            counted[1] = (long) record[0];
            if (print) {
                System.out.printf(Locale.ROOT, "round %d: check %.2f us (server CPU %.2f us), record %.2f us"
                        + " (server CPU %.2f us) per script call%n", r + 1, check[1], checkCpu, record[1], recordCpu);
            }
        }
        return new Figures(best[0], best[1], best[2], best[3], counted[0], counted[1]);
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
