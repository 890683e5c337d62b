package dev.quota.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link StatsAggregationBench} once on a small in-memory H2 database: the day is generated, both ways agree
 * on every figure (the run fails otherwise), and every mode is printed. Nothing here is timed.
 */
class StatsAggregationBenchSmokeTest {

    @Test
    void bothWaysAgreeOnASmallDayAndEveryModeIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        List<StatsAggregationBench.Result> results = StatsAggregationBench.run(
                "jdbc:h2:mem:statsbench;DB_CLOSE_DELAY=-1", 3_000, 40, 1, false,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(results).extracting(StatsAggregationBench.Result::queries).containsExactly(2, 2, 6, 7 + 3 * 40);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("figures agree").contains("3,000 ledger rows")
                .contains("seed: global + per-user days").contains("load average");
    }

    @Test
    void workIsBounded() {
        assertThatThrownBy(() -> StatsAggregationBench.run("jdbc:h2:mem:unused", StatsAggregationBench.MAX_ROWS + 1,
                10, 1, false, System.err)).isInstanceOf(IllegalArgumentException.class);
    }
}
