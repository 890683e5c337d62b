package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo with its second fault, {@code --hold-writer}, in-process on embedded Redis and H2: one simulated day,
 * 60 users, twice with one seed. The writer's timing must not reach stdout.
 */
class HeldWriterDemoTest {

    private static final String[] ARGS = {"--seed", "7", "--days", "1", "--users", "60", "--hold-writer"};
    private static final String TITLE = "Fault: SQL writer held back from 2026-11-16 19:20 to 2026-11-16 20:20"
            + " (simulated)";

    /** Two runs with the hold and, to compare, one without. */
    private static DemoRun first;
    private static DemoRun second;
    private static DemoRun unheld;

    @BeforeAll
    static void runHeldTwiceAndOnceUnheld() throws Exception {
        first = DemoRun.of(ARGS);
        unheld = DemoRun.of(Arrays.copyOf(ARGS, ARGS.length - 1));
        second = DemoRun.of(ARGS);
    }

    @Test
    void theSameSeedPrintsTheSameBytesAndTheBooksBalance() {
        assertThat(first.out()).contains(TITLE);
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(first.code()).isEqualTo(GatewayDemo.OK);
        assertThat(first.out().strip()).endsWith("books balance: OK");
    }

    @Test
    void sqlStoredNothingWhileEveryRecordWaitedInTheWriterAndTheOutbox() {
        long recorded = number("(\\d+) requests recorded meanwhile");
        assertThat(recorded).isPositive();
        Matcher rows = find("SQL ledger rows (\\d+) when held, (\\d+) just before the release");
        assertThat(rows.group(2)).isEqualTo(rows.group(1));
        assertThat(number("at the peak, just before the release: (\\d+) events unsettled")).isEqualTo(recorded);
        assertThat(first.out()).contains("the oldest waiting 60 min (usage pipeline DEGRADED, gate health DEGRADED)");
        assertThat(first.out()).contains("the Redis outbox held the second copy: 0 entries when held, " + recorded
                + " at the peak");
    }

    @Test
    void checksKeptDecidingWhileTheWriterWasHeld() {
        String section = first.out().substring(first.out().indexOf(TITLE));
        long recorded = number("(\\d+) requests recorded meanwhile");
        assertThat(section).containsPattern("\\nALLOWED +200 +" + recorded + " ")
                .containsPattern("\\n[A-Z0-9_]+ +4\\d\\d +[1-9]");
    }

    @Test
    void afterTheReleaseTheLedgerHoldsEveryRecordAndTheOutboxIsEmpty() {
        Matcher after = find("after the release: SQL ledger rows (\\d+) = requests recorded so far (\\d+); outbox"
                + " entries 0 once acknowledged");
        assertThat(after.group(1)).isEqualTo(after.group(2));
        assertThat(Long.parseLong(after.group(1)) - number("SQL ledger rows \\d+ when held, (\\d+)"))
                .isEqualTo(number("(\\d+) requests recorded meanwhile"));
    }

    @Test
    void apartFromItsSectionTheReportIsTheOneWithoutTheHold() {
        int from = first.out().indexOf("\n" + TITLE);
        int to = first.out().indexOf("\nTop users by cost", from);
        assertThat(from).isPositive();
        assertThat(first.out().substring(0, from) + first.out().substring(to)).isEqualTo(unheld.out());
    }

    @Test
    void theWritersTimingGoesToStderr() {
        assertThat(first.err()).contains("writer store calls that waited for the release");
        assertThat(first.out()).doesNotContain("store calls");
    }

    private static long number(String regex) {
        return Long.parseLong(find(regex).group(1));
    }

    private static Matcher find(String regex) {
        Matcher m = Pattern.compile(regex).matcher(first.out());
        assertThat(m.find()).as(regex).isTrue();
        return m;
    }
}
