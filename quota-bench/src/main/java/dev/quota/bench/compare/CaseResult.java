package dev.quota.bench.compare;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one measured run of one case: the closed loop's throughput and latency, the commands the client
 * sent and redis-server's own accounting over the same measured period.
 *
 * @param population "1,000 users" or "1 hot user"
 * @param side "Bucket4j" or "Quota"
 * @param operation what one operation is ("check", "check + record", "reserve + settle")
 * @param round the round, from 1
 * @param loop the closed loop's figures
 * @param client the commands the client sent in the measured period, by lower-case name
 * @param server what redis-server did in the measured period
 */
public record CaseResult(String population, String side, String operation, int round, ClosedLoop.Result loop,
                         Map<String, Long> client, ServerStats server) {

    /** Script-running commands: their calls are what the client sent, their time includes what the script ran. */
    public static final Set<String> SCRIPT_COMMANDS =
            Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");

    /**
     * Merges the runs of one case: operations, time, commands and server figures are summed (so ratios are
     * totals over totals), the latency percentiles are the median of the runs' and the load average their mean.
     *
     * @param runs the runs of one case, at least one
     * @return one result standing for them all (round 0)
     */
    public static CaseResult merge(List<CaseResult> runs) {
        CaseResult first = runs.get(0);
        long ops = 0;
        long denied = 0;
        double seconds = 0;
        double load = 0;
        long cpu = 0;
        Map<String, Long> client = new TreeMap<>();
        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> usec = new TreeMap<>();
        for (CaseResult r : runs) {
            ops += r.loop.ops();
            denied += r.loop.denied();
            seconds += r.loop.seconds();
            load += r.loop.loadAverage();
            cpu += r.server.cpuMicros();
            r.client.forEach((k, v) -> client.merge(k, v, Long::sum));
            r.server.calls().forEach((k, v) -> calls.merge(k, v, Long::sum));
            r.server.usec().forEach((k, v) -> usec.merge(k, v, Long::sum));
        }
        ClosedLoop.Result loop = new ClosedLoop.Result(ops, denied, seconds,
                median(runs, r -> r.loop.p50Micros()), median(runs, r -> r.loop.p99Micros()),
                median(runs, r -> r.loop.p999Micros()), load / runs.size());
        return new CaseResult(first.population, first.side, first.operation, 0, loop, client,
                new ServerStats(cpu, calls, usec));
    }

    private static double median(List<CaseResult> runs, ToDoubleFunction<CaseResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** @return "side operation", e.g. "Quota check" */
    public String name() {
        return side + " " + operation;
    }

    /** @return redis-server CPU time (INFO cpu, user + system) per operation, µs */
    public double serverCpuMicrosPerOp() {
        return (double) server.cpuMicros() / loop.ops();
    }

    /** @return the commands the client sent per operation, by name */
    public Map<String, Double> clientPerOp() {
        Map<String, Double> m = new TreeMap<>();
        client.forEach((name, n) -> m.put(name, (double) n / loop.ops()));
        return m;
    }

    /** @return the client's commands per operation, all names together */
    public double clientCommandsPerOp() {
        return client.values().stream().mapToLong(Long::longValue).sum() / (double) loop.ops();
    }

    /**
     * The commands the server ran that the client did not send, per operation: the commands run inside scripts
     * (commandstats counts them too), by name. INFO itself is left out.
     *
     * @return commands run inside scripts per operation, by name
     */
    public Map<String, Double> insideScriptsPerOp() {
        Map<String, Double> m = new TreeMap<>();
        server.calls().forEach((name, n) -> {
            if (name.equals("info") || SCRIPT_COMMANDS.contains(name)) {
                return;
            }
            long inside = n - client.getOrDefault(name, 0L);
            if (inside > 0) {
                m.put(name, (double) inside / loop.ops());
            }
        });
        return m;
    }

    /** @return the commands run inside scripts per operation, all names together */
    public double insideScriptsCommandsPerOp() {
        return insideScriptsPerOp().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The redis-server time of one operation by {@code INFO commandstats}: the script commands' usec (which
     * include what the scripts ran), plus, for each other command the client sent, its usec per call times the
     * calls the client sent (so a command run inside a script is not counted twice). For an operation without a
     * script it is the sum of its commands' usec.
     *
     * @return µs per operation
     */
    public double commandMicrosPerOp() {
        double usec = 0;
        for (Map.Entry<String, Long> sent : client.entrySet()) {
            String name = sent.getKey();
            if (SCRIPT_COMMANDS.contains(name)) {
                usec += server.usec().getOrDefault(name, 0L);
            } else if (server.calls().getOrDefault(name, 0L) > 0) {
                usec += server.usecPerCall(name) * sent.getValue();
            }
        }
        return usec / loop.ops();
    }

    /** @return the microseconds the script commands took per operation (commandstats {@code usec}), µs */
    public double scriptMicrosPerOp() {
        long usec = 0;
        for (String name : SCRIPT_COMMANDS) {
            usec += server.usec().getOrDefault(name, 0L);
        }
        return (double) usec / loop.ops();
    }
}
