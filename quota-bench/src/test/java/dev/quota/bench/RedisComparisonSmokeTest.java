package dev.quota.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.bench.compare.CaseResult;
import dev.quota.bench.compare.Ceiling;
import dev.quota.bench.compare.ComparisonReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny {@link RedisComparison} run on the embedded redis-server (no JMH, fractions of a second per case):
 * every case and probe ran and was allowed, the client-side command count sees exactly what Bucket4j sends, and
 * the report has every section, written to its file and into a RESULTS.md's marked section. Nothing is timed.
 */
class RedisComparisonSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunMeasuresEveryCaseAndWritesEverySection() throws Exception {
        Path out = dir.resolve("report.md");
        Path results = dir.resolve("RESULTS.md");
        Files.writeString(results, "# results\n\nbefore\n\n" + ComparisonReport.BEGIN + "\nold figures\n"
                + ComparisonReport.END + "\n\nafter\n");

        ComparisonReport.Data data = RedisComparison.run(RedisComparison.Options.parse("--server", "embedded",
                "--no-jmh", "--rounds", "1", "--threads", "4", "--warmup", "0.05", "--seconds", "0.2",
                "--probe", "20", "--ceiling-requests", "2000", "--out", out.toString(),
                "--results", results.toString()));

        assertThat(data.runs()).hasSize(16);
        assertThat(data.runs()).extracting(r -> r.population() + " " + r.name()).containsSubsequence(
                "1,000 users Bucket4j check", "1,000 users Quota check", "1,000 users Quota check, pipelined",
                "1,000 users Bucket4j check", "1,000 users Quota check + record",
                "1,000 users Quota check + record, pipelined", "1,000 users Bucket4j check",
                "1,000 users Quota reserve + settle", "1 hot user Bucket4j check", "1 hot user Quota check",
                "1 hot user Quota check, pipelined");
        for (CaseResult r : data.runs()) {
            assertThat(r.loop().ops()).as(r.name()).isPositive();
            assertThat(r.loop().denied()).as(r.name()).isZero();
            assertThat(r.clientCommandsPerOp()).as(r.name()).isGreaterThanOrEqualTo(1.0);
            assertThat(r.server().cpuMicros()).as(r.name()).isPositive();
        }
        assertThat(data.probes()).extracting(CaseResult::name).containsExactly("Quota check", "Quota record",
                "Quota reserve", "Quota settle", "Bucket4j check");
        for (CaseResult p : data.probes()) {
            assertThat(p.loop().ops()).isEqualTo(20);
            assertThat(p.loop().denied()).as(p.name()).isZero();
            assertThat(p.commandMicrosPerOp()).as(p.name()).isPositive();
        }
        CaseResult check = data.probes().get(0);
        // a check runs no script: its plain commands, sent in one pipeline, are counted where they leave the client
        assertThat(check.clientPerOp()).isEqualTo(Map.of("hmget", 3.0, "set", 2.0, "incr", 2.0));
        assertThat(check.insideScriptsPerOp()).isEmpty();
        assertThat(check.scriptMicrosPerOp()).isZero();
        CaseResult bucket = data.probes().get(4);
        // one thread, no contention: each of the two buckets is one GET and one compare-and-swap EVAL, whose
        // script reads the bucket again and writes it
        assertThat(bucket.clientPerOp()).containsOnlyKeys("get", "eval");
        assertThat(bucket.clientPerOp().get("get")).isEqualTo(2.0);
        assertThat(bucket.clientPerOp().get("eval")).isEqualTo(2.0);
        assertThat(bucket.insideScriptsPerOp().get("get")).isEqualTo(2.0);

        String report = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(report).startsWith(ComparisonReport.BEGIN).endsWith(ComparisonReport.END + "\n")
                .contains("### Machine and versions", "### Goals of issue 13", "### Ceiling: redis-benchmark",
                        "### Cases, all rounds merged, with ratios", "### Every run, in the order they ran",
                        "### Redis commands per operation", "### redis-server time per operation, one thread",
                        "### JMH: Quota's evaluator beside Bucket4j's local bucket", "skipped (`--no-jmh`)",
                        "| Bucket4j | 8.17.0", "check throughput, 1,000 users, Quota / Bucket4j",
                        "check throughput, 1 hot user, Quota / Bucket4j", "check p99, 1 hot user",
                        "check + record, 1,000 users, pairs/s", "share of the redis-benchmark EVALSHA ceiling",
                        "check throughput, 1 hot user, Quota, pipelined / Bucket4j",
                        "check + record, 1,000 users, pairs/s, pipelined",
                        "redis-server time per check (", "redis-server time per record (", "redis-server time per reserve (");
        assertThat(Files.readString(results)).isEqualTo("# results\n\nbefore\n\n" + report + "\nafter\n");
    }

    @Test
    void theReportIsAppendedToAResultsFileWithoutASection() throws Exception {
        Path results = dir.resolve("RESULTS.md");
        Files.writeString(results, "# results\n");
        String section = ComparisonReport.BEGIN + "\nfigures\n" + ComparisonReport.END + "\n";

        ComparisonReport.replaceSection(results, section);
        assertThat(Files.readString(results)).isEqualTo("# results\n\n" + section);

        String newer = ComparisonReport.BEGIN + "\nnewer figures\n" + ComparisonReport.END + "\n";
        ComparisonReport.replaceSection(results, newer);
        assertThat(Files.readString(results)).isEqualTo("# results\n\n" + newer);
    }

    @Test
    void redisBenchmarkCsvIsReadByColumnName() {
        String csv = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\","
                + "\"p99_latency_ms\",\"max_latency_ms\"\n"
                + "\"EVALSHA abc 4 {c}:k1 {c}:k2 {c}:k3 {c}:k4\",\"83333.34\",\"0.180\",\"0.040\",\"0.167\",\"0.271\","
                + "\"0.399\",\"1.207\"\n";

        Ceiling.Result r = Ceiling.parse(csv, 7.5, 0.9, 1.0, "cmd");

        assertThat(r.requestsPerSecond()).isEqualTo(83333.34);
        assertThat(r.p50Millis()).isEqualTo(0.167);
        assertThat(r.p99Millis()).isEqualTo(0.399);
    }

    @Test
    void bucket4jLocalBenchConsumesFromABucketOfTheEvaluatorsSevenLimits() {
        BucketLocalBench bench = new BucketLocalBench();
        bench.setUp();
        for (int i = 0; i < 1000; i++) {
            assertThat(bench.tryConsume()).isTrue();
        }
        assertThat(List.of(dev.quota.bench.compare.BucketLimits.user(false).getBandwidths())).hasSize(7);
        assertThat(List.of(dev.quota.bench.compare.BucketLimits.user(true).getBandwidths())).hasSize(8);
    }
}
