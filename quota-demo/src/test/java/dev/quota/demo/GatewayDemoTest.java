package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.DenyReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as an operator runs it, in-process on embedded Redis and H2: one simulated day, 60 users, twice with
 * one seed.
 */
class GatewayDemoTest {

    private static final String[] ARGS = {"--seed", "7", "--days", "1", "--users", "60"};

    private static DemoRun first;
    private static DemoRun second;

    @BeforeAll
    static void runTwice() throws Exception {
        first = DemoRun.of(ARGS);
        second = DemoRun.of(ARGS);
    }

    @Test
    void theSameSeedPrintsTheSameBytes() {
        assertThat(first.out()).isNotBlank();
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void theBooksBalanceAndTheVerdictIsPrintedLast() {
        assertThat(first.code()).isEqualTo(GatewayDemo.OK);
        assertThat(first.out().strip()).endsWith("books balance: OK");
        assertThat(first.out()).contains("seed 7, 1 simulated day(s) from 2026-11-16 00:00 to 2026-11-17 00:00"
                + " (simulated time");
    }

    @Test
    void deniesForSeveralReasonsEachWithItsHttpStatus() {
        int reasons = 0;
        for (DenyReason reason : DenyReason.values()) {
            if (first.out().contains(reason.code() + " ")) {
                reasons++;
                assertThat(first.out()).containsPattern("\\n" + reason.code() + " +" + reason.httpStatus() + " ");
            }
        }
        assertThat(reasons).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theBurstAdmitsExactlyWhatTheBalanceHolds() {
        assertThat(first.out()).contains("20 admitted and settled (balance / estimate = 20");
    }

    @Test
    void theGateKeepsAnsweringWhileRedisIsDown() {
        assertThat(first.out()).contains("embedded redis-server killed, restarted empty on the same port")
                .contains("gate health while down: DEGRADED")
                .containsPattern("(?s)what the gate answered while Redis was down:.*ALLOWED +200 +[1-9]");
    }

    @Test
    void theWriterIsHeldOnlyWhenAskedFor() {
        assertThat(first.out()).doesNotContain("SQL writer held back");
        assertThat(first.err()).doesNotContain("waited for the release");
    }

    @Test
    void aCheckAndARecordOnAWarmCacheAreOneRoundTripEach() {
        // every check is one pipeline; a denied one takes its RPM counts back in one more round trip (a script)
        assertThat(first.out()).containsPattern("check +(\\d+) +\\d+ +[0-9.]+  \\{EVALSHA=\\d+, PIPELINE=\\1}")
                .containsPattern("record +(\\d+) +\\1 +1\\.000  \\{EVALSHA=\\1}");
    }

    @Test
    void progressAndWallClockTimeGoToStderr() {
        assertThat(first.err()).contains("simulated day 2026-11-16 done (100%)").contains("wall-clock time");
        assertThat(first.out()).doesNotContain("wall-clock");
    }

    @Test
    void anUnreachableRedisIsOneLineAndExitCode2() throws Exception {
        DemoRun r = DemoRun.of("--redis-url", "redis://127.0.0.1:1");
        assertOneLineOfBadSetup(r, "quota-demo: cannot reach Redis at redis://127.0.0.1:1: ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMalformedRedisUrlIsOneLineAndExitCode2() throws Exception {
        DemoRun r = DemoRun.of("--redis-url", "http://127.0.0.1:6379");
        assertThat(r.code()).isEqualTo(GatewayDemo.BAD_SETUP);
        assertThat(r.err()).isEqualTo("quota-demo: bad Redis URL http://127.0.0.1:6379: expected"
                + " redis://host:port[/db]" + System.lineSeparator());
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCode2() throws Exception {
        DemoRun r = DemoRun.of("--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres");
        assertOneLineOfBadSetup(r, "quota-demo: cannot use the database at jdbc:postgresql://127.0.0.1:1/");
    }

    @Test
    void badOptionsAreOneLineAndHelpPrintsTheUsage() throws Exception {
        DemoRun bad = DemoRun.of("--days", "0");
        assertThat(bad.code()).isEqualTo(GatewayDemo.BAD_SETUP);
        assertThat(bad.err()).isEqualTo("quota-demo: --days must be 1 to 28: 0 (see --help)"
                + System.lineSeparator());
        DemoRun help = DemoRun.of("--help");
        assertThat(help.code()).isEqualTo(GatewayDemo.OK);
        assertThat(help.out()).contains("--redis-url URL").contains("--jdbc-url URL").contains("--seed S")
                .contains("--hold-writer");
    }

    /** The run failed its set-up ({@link GatewayDemo#BAD_SETUP}): one line on stderr, starting with {@code start}. */
    private static void assertOneLineOfBadSetup(DemoRun r, String start) {
        assertThat(r.code()).isEqualTo(GatewayDemo.BAD_SETUP);
        assertThat(r.err()).startsWith(start);
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
