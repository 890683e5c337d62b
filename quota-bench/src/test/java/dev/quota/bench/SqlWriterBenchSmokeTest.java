package dev.quota.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link SqlWriterBench} once on a small in-memory H2 database and checks that every mode wrote exactly its
 * events (so each figure measures what it claims). Nothing here is timed.
 */
class SqlWriterBenchSmokeTest {

    @Test
    void everyModeWritesExactlyItsEventsAndThePrintoutNamesThem() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SqlWriterBench.Result> results = SqlWriterBench.run("jdbc:h2:mem:sqlbench;DB_CLOSE_DELAY=-1", 1_200,
                500, 100, 2, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(results).hasSize(5);
        assertThat(results).allSatisfy(r -> assertThat(r.rows()).as(r.mode()).isEqualTo(r.events()));
        assertThat(results.get(2).events()).isEqualTo(1_200);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("baseline").contains("ledger().store")
                .contains("BatchingUsageWriter").contains("2 threads");
    }
}
