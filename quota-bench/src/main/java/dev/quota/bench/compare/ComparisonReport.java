package dev.quota.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the Markdown report of one {@link RedisComparison} run: machine and versions, which goal of issue 13
 * each figure meets, the redis-benchmark ceiling, every run of every case, the merged figures with their ratios
 * to Bucket4j, the Redis commands per operation (client side, and inside scripts), redis-server's time per script
 * on one thread, and the JMH scores. Stateless.
 */
public final class ComparisonReport {

    /** The first line of the section {@link #replaceSection} replaces in a RESULTS.md. */
    public static final String BEGIN = "<!-- redis-comparison:begin -->";
    /** The last line of that section. */
    public static final String END = "<!-- redis-comparison:end -->";

    /** The population of the spread-out cases. */
    public static final String USERS = "1,000 users";
    /** The population of the hot-user cases. */
    public static final String HOT = "1 hot user";
    /** The population of the one-thread script probes. */
    public static final String ONE_THREAD = "1 thread";
    /** The side of Bucket4j's cases. */
    public static final String BUCKET4J = "Bucket4j";
    /** The side of Quota's cases. */
    public static final String QUOTA = "Quota";
    /**
     * The suffix of a Quota operation run with its script calls pipelined
     * ({@code RedisQuotaOptions.Builder#pipelining}), e.g. "check, pipelined".
     */
    public static final String PIPELINED = ", pipelined";
    /** Today's check + record pairs per second (issue 13); the goal is twice this. */
    public static final double TODAY_CHECK_RECORD = 8_000;

    /**
     * Everything one run measured.
     *
     * @param title the report's title line
     * @param settings how the run was set up (threads, durations, rounds), one line
     * @param machine machine and versions, in display order
     * @param ceilings the redis-benchmark runs (empty when it was skipped)
     * @param ceilingNote why the ceiling is missing, or null
     * @param runs every measured run of every case, in the order they ran
     * @param probes the one-thread script probes
     * @param jmh the JMH scores (empty when skipped)
     * @param jmhNote why JMH is missing, or null
     */
    public record Data(String title, String settings, Map<String, String> machine, List<Ceiling.Result> ceilings,
                       String ceilingNote, List<CaseResult> runs, List<CaseResult> probes,
                       List<LocalJmh.Score> jmh, String jmhNote) {
    }

    private ComparisonReport() {
    }

    /**
     * @param d the figures
     * @return the report, between {@link #BEGIN} and {@link #END}
     */
    public static String render(Data d) {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append("\n\n## ").append(d.title()).append("\n\n").append(d.settings()).append("\n\n");
        machine(out, d);
        goals(out, d);
        ceiling(out, d);
        merged(out, d);
        runs(out, d);
        commands(out, d);
        probes(out, d);
        jmh(out, d);
        out.append(END).append('\n');
        return out.toString();
    }

    /**
     * Replaces the section between {@link #BEGIN} and {@link #END} of a file with {@code section}, or appends
     * {@code section} when the file has no such section (or does not exist).
     *
     * @param file the file, e.g. quota-bench/RESULTS.md
     * @param section a rendered report
     */
    public static void replaceSection(Path file, String section) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END, Math.max(begin, 0));
            String updated;
            if (begin >= 0 && end > begin) {
                int after = end + END.length();
                if (after < text.length() && text.charAt(after) == '\n') {
                    after++;
                }
                updated = text.substring(0, begin) + section + text.substring(after);
            } else {
                updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n")
                        + section;
            }
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        }
    }

    private static void machine(StringBuilder out, Data d) {
        out.append("### Machine and versions\n\n| | |\n|---|---|\n");
        d.machine().forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        out.append('\n');
    }

    private static void goals(StringBuilder out, Data d) {
        out.append("### Goals of issue 13\n\n");
        List<CaseResult> denied = d.runs().stream().filter(r -> r.loop().denied() > 0).toList();
        if (!denied.isEmpty()) {
            out.append("**Some operations were not allowed** (").append(denied.stream()
                    .map(r -> r.population() + " " + r.name() + " round " + r.round() + ": " + r.loop().denied())
                    .collect(Collectors.joining("; "))).append("): the workload is meant to allow everything, "
                    + "so these figures do not measure the allow path.\n\n");
        }
        out.append("| goal | target | measured | met |\n|---|---|---|---|\n");
        Optional<CaseResult> qUsers = find(d, USERS, QUOTA, "check");
        throughputGoals(out, d, "check", "");
        throughputGoals(out, d, "check" + PIPELINED, ", pipelined");
        if (qUsers.isPresent() && !d.ceilings().isEmpty()) {
            double ceiling = d.ceilings().stream().mapToDouble(Ceiling.Result::requestsPerSecond).average()
                    .orElseThrow();
            double share = qUsers.get().loop().opsPerSecond() / ceiling;
            goal(out, "Quota check, 1,000 users, share of the redis-benchmark EVALSHA ceiling", "≥ 80 %",
                    fmt("%s / %,.0f = %.0f %%", ops(qUsers.get()), ceiling, share * 100), share >= 0.8);
        } else {
            out.append("| Quota check, share of the redis-benchmark EVALSHA ceiling | ≥ 80 % | not measured: ")
                    .append(d.ceilingNote()).append(" | n/a |\n");
        }
        for (String[] g : new String[][] {{"check", "12"}, {"record", "15"}, {"reserve", "15"}}) {
            find(d, ONE_THREAD, QUOTA, g[0]).ifPresent(p -> goal(out,
                    "redis-server time per " + g[0] + " (commandstats usec of its script and the commands sent, one "
                    + "thread)", "≤ " + g[1] + " µs",
                    fmt("%.1f µs", p.commandMicrosPerOp()), p.commandMicrosPerOp() <= Double.parseDouble(g[1])));
        }
        out.append("\nThe client-side goals of issue 13 (≤ 3 KB allocated per check, measured with JMH `-prof gc` on "
                + "`GateRedisBench`) and exact money are not measured by this command.\n\n");
    }

    /**
     * The throughput and p99 goals of one way of running Quota's check ({@code check}: "check" or the pipelined
     * one) and of its check + record; {@code label} is added to the goal's name.
     */
    private static void throughputGoals(StringBuilder out, Data d, String check, String label) {
        Optional<CaseResult> qUsers = find(d, USERS, QUOTA, check);
        Optional<CaseResult> bUsers = find(d, USERS, BUCKET4J, "check");
        Optional<CaseResult> qHot = find(d, HOT, QUOTA, check);
        Optional<CaseResult> bHot = find(d, HOT, BUCKET4J, "check");
        if (qUsers.isPresent() && bUsers.isPresent()) {
            double ratio = qUsers.get().loop().opsPerSecond() / bUsers.get().loop().opsPerSecond();
            goal(out, "check throughput, 1,000 users, Quota" + label + " / Bucket4j", "≥ 1.5×",
                    fmt("%s / %s ops/s = %.2f×", ops(qUsers.get()), ops(bUsers.get()), ratio), ratio >= 1.5);
        }
        if (qHot.isPresent() && bHot.isPresent()) {
            double ratio = qHot.get().loop().opsPerSecond() / bHot.get().loop().opsPerSecond();
            goal(out, "check throughput, 1 hot user, Quota" + label + " / Bucket4j", "≥ 8×",
                    fmt("%s / %s ops/s = %.2f×", ops(qHot.get()), ops(bHot.get()), ratio), ratio >= 8);
            double p99 = qHot.get().loop().p99Micros() / bHot.get().loop().p99Micros();
            goal(out, "check p99, 1 hot user, Quota" + label + " / Bucket4j", "≤ 0.10",
                    fmt("%.0f / %.0f µs = %.2f", qHot.get().loop().p99Micros(), bHot.get().loop().p99Micros(), p99),
                    p99 <= 0.10);
        }
        find(d, USERS, QUOTA, check.replace("check", "check + record")).ifPresent(q -> goal(out,
                "check + record, 1,000 users, pairs/s" + label, fmt("≥ 2 × %,.0f = %,.0f", TODAY_CHECK_RECORD,
                        2 * TODAY_CHECK_RECORD),
                fmt("%s pairs/s = %.2f × today's", ops(q), q.loop().opsPerSecond() / TODAY_CHECK_RECORD),
                q.loop().opsPerSecond() >= 2 * TODAY_CHECK_RECORD));
    }

    private static void goal(StringBuilder out, String goal, String target, String measured, boolean met) {
        out.append("| ").append(goal).append(" | ").append(target).append(" | ").append(measured).append(" | ")
                .append(met ? "yes" : "**no**").append(" |\n");
    }

    private static void ceiling(StringBuilder out, Data d) {
        out.append("### Ceiling: redis-benchmark, one EVALSHA of a trivial 4-key script\n\n");
        if (d.ceilings().isEmpty()) {
            out.append("Not measured: ").append(d.ceilingNote()).append("\n\n");
            return;
        }
        out.append("`redis-benchmark ").append(d.ceilings().get(0).command()).append("` (script `")
                .append(Ceiling.SCRIPT).append("`), before the first round and after the last.\n\n")
                .append("| run | requests/s | p50 | p99 | server CPU µs/call | evalsha usec_per_call | load avg |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        int i = 1;
        for (Ceiling.Result c : d.ceilings()) {
            out.append(fmt("| %d | %,.0f | %.0f µs | %.0f µs | %.1f | %.1f | %.2f |\n", i++, c.requestsPerSecond(),
                    c.p50Millis() * 1000, c.p99Millis() * 1000, c.serverCpuMicrosPerCall(), c.usecPerCall(),
                    c.loadAverage()));
        }
        out.append('\n');
    }

    private static void merged(StringBuilder out, Data d) {
        out.append("### Cases, all rounds merged, with ratios\n\n")
                .append("Operations per second are total operations over total measured time; latency percentiles "
                        + "are the median of the rounds'; \"× Bucket4j\" divides by Bucket4j's check of the same "
                        + "population (a check + record or reserve + settle counts as one operation).\n\n")
                .append("| population | case | ops/s | × Bucket4j | p50 µs | p99 µs | p99.9 µs | p99 / Bucket4j's "
                        + "| server CPU µs/op | sent usec/op | client cmds/op | in-script cmds/op | load avg |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CaseResult m : mergedCases(d)) {
            Optional<CaseResult> b = find(d, m.population(), BUCKET4J, "check");
            String ratio = b.map(x -> fmt("%.2f×", m.loop().opsPerSecond() / x.loop().opsPerSecond())).orElse("");
            String p99 = b.map(x -> fmt("%.2f", m.loop().p99Micros() / x.loop().p99Micros())).orElse("");
            out.append(fmt("| %s | %s | %s | %s | %.0f | %.0f | %.0f | %s | %.1f | %.1f | %.2f | %.2f | %.2f |\n",
                    m.population(), m.name(), ops(m), ratio, m.loop().p50Micros(), m.loop().p99Micros(),
                    m.loop().p999Micros(), p99, m.serverCpuMicrosPerOp(), m.commandMicrosPerOp(),
                    m.clientCommandsPerOp(), m.insideScriptsCommandsPerOp(), m.loop().loadAverage()));
        }
        out.append('\n');
    }

    private static void runs(StringBuilder out, Data d) {
        out.append("### Every run, in the order they ran\n\n")
                .append("| round | population | case | ops | ops/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/op "
                        + "| load avg | not allowed |\n")
                .append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CaseResult r : d.runs()) {
            out.append(fmt("| %d | %s | %s | %,d | %s | %.0f | %.0f | %.0f | %.1f | %.2f | %d |\n", r.round(),
                    r.population(), r.name(), r.loop().ops(), ops(r), r.loop().p50Micros(), r.loop().p99Micros(),
                    r.loop().p999Micros(), r.serverCpuMicrosPerOp(), r.loop().loadAverage(), r.loop().denied()));
        }
        out.append('\n');
    }

    private static void commands(StringBuilder out, Data d) {
        out.append("### Redis commands per operation\n\n")
                .append("Sent: counted on the client (every command the Jedis client sent, background work of the "
                        + "gate included; a script call counts once). Inside scripts: what `INFO commandstats` "
                        + "counted beyond what the client sent. usec_per_call: `INFO commandstats` over the "
                        + "measured periods (a script's time includes the commands it ran).\n\n")
                .append("| population | case | sent per op | inside scripts per op | usec_per_call |\n")
                .append("|---|---|---|---|---|\n");
        List<CaseResult> all = new ArrayList<>(mergedCases(d));
        all.addAll(d.probes());
        for (CaseResult m : all) {
            out.append("| ").append(m.population()).append(" | ").append(m.name()).append(" | ")
                    .append(perOp(m.clientPerOp())).append(" | ").append(perOp(m.insideScriptsPerOp())).append(" | ")
                    .append(m.server().calls().keySet().stream().filter(n -> !n.equals("info"))
                            .map(n -> fmt("%s %.1f", n, m.server().usecPerCall(n))).collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static void probes(StringBuilder out, Data d) {
        out.append("### redis-server time per operation, one thread\n\n")
                .append("Each Quota operation alone, one thread, on warm entries (record: fresh request ids; settle: "
                        + "the holds of the reserve probe; the gate is flushed before the figures are read, so "
                        + "outbox acknowledgements are included), and Bucket4j's check. Script usec: the script "
                        + "commands' `INFO commandstats` usec per operation; sent usec: the script commands' usec "
                        + "plus each other command's usec per call times the calls the client sent (what the goals "
                        + "of issue 13 compare; a check runs no script); all commands: every command's usec per "
                        + "operation (script-internal commands counted twice there: once inside the script's time, "
                        + "once on their own).\n\n")
                .append("| case | calls | script usec/op | sent usec/op | all commands usec/op | server CPU µs/op "
                        + "| sent cmds/op | in-script cmds/op |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CaseResult p : d.probes()) {
            double all = p.server().usec().entrySet().stream().filter(e -> !e.getKey().equals("info"))
                    .mapToLong(Map.Entry::getValue).sum() / (double) p.loop().ops();
            out.append(fmt("| %s | %,d | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n", p.name(), p.loop().ops(),
                    p.scriptMicrosPerOp(), p.commandMicrosPerOp(), all, p.serverCpuMicrosPerOp(),
                    p.clientCommandsPerOp(),
                    p.insideScriptsCommandsPerOp()));
        }
        out.append('\n');
    }

    private static void jmh(StringBuilder out, Data d) {
        out.append("### JMH: Quota's evaluator beside Bucket4j's local bucket\n\n");
        if (d.jmh().isEmpty()) {
            out.append("Not measured: ").append(d.jmhNote()).append("\n\n");
            return;
        }
        out.append("| benchmark | ns/op | ± (99.9 %) |\n|---|---:|---:|\n");
        for (LocalJmh.Score s : d.jmh()) {
            out.append(fmt("| `%s` | %.1f | %.1f |\n", s.benchmark(), s.nanosPerOp(), s.error()));
        }
        if (d.jmh().size() == 2) {
            out.append(fmt("\nEvaluator / local bucket: %.2f× the time per decision.\n",
                    d.jmh().get(0).nanosPerOp() / d.jmh().get(1).nanosPerOp()));
        }
        out.append('\n');
    }

    /**
     * @param d the figures
     * @return every case's runs merged ({@link CaseResult#merge}), in the order the cases first ran
     */
    public static List<CaseResult> mergedCases(Data d) {
        Map<String, List<CaseResult>> byCase = new LinkedHashMap<>();
        for (CaseResult r : d.runs()) {
            byCase.computeIfAbsent(r.population() + "|" + r.name(), k -> new ArrayList<>()).add(r);
        }
        return byCase.values().stream().map(CaseResult::merge).toList();
    }

    private static Optional<CaseResult> find(Data d, String population, String side, String operation) {
        if (population.equals(ONE_THREAD)) {
            return d.probes().stream().filter(p -> p.side().equals(side) && p.operation().equals(operation))
                    .findFirst();
        }
        List<CaseResult> runs = d.runs().stream().filter(r -> r.population().equals(population)
                && r.side().equals(side) && r.operation().equals(operation)).toList();
        return runs.isEmpty() ? Optional.empty() : Optional.of(CaseResult.merge(runs));
    }

    private static String perOp(Map<String, Double> m) {
        if (m.isEmpty()) {
            return "none";
        }
        return m.entrySet().stream().map(e -> fmt("%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String ops(CaseResult r) {
        return fmt("%,.0f", r.loop().opsPerSecond());
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
