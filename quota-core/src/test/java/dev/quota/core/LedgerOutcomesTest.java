package dev.quota.core;

import static dev.quota.core.WriterFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageSink.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each event's outcome in a ledger's answer: by identity, else by key, else a duplicate. */
class LedgerOutcomesTest {

    @Test
    void eachEventIsFoundWithItsOwnOutcome() {
        UsageEvent stored = event("a");
        UsageEvent duplicate = event("b");
        UsageEvent rejected = event("c");
        LedgerOutcomes outcomes = new LedgerOutcomes(new LedgerResult(List.of(stored), List.of(duplicate),
                List.of(new LedgerResult.RejectedUsage(rejected, "bad model"))));
        assertThat(outcomes.of(stored)).isEqualTo(new LedgerOutcomes.Found(Outcome.STORED, null));
        assertThat(outcomes.of(duplicate)).isEqualTo(new LedgerOutcomes.Found(Outcome.DUPLICATE, null));
        assertThat(outcomes.of(rejected)).isEqualTo(new LedgerOutcomes.Found(Outcome.REJECTED, "bad model"));
    }

    @Test
    void aLedgerAnsweringWithCopiesIsReadByKeyInOrder() {
        UsageEvent first = event("a");
        UsageEvent replay = event("a");
        LedgerOutcomes outcomes = new LedgerOutcomes(new LedgerResult(List.of(event("a")), List.of(event("a")),
                List.of()));
        assertThat(outcomes.of(first).outcome()).isEqualTo(Outcome.STORED);
        assertThat(outcomes.of(replay).outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void anEventTheLedgerDidNotAnswerForCountsAsADuplicate() {
        LedgerOutcomes outcomes = new LedgerOutcomes(new LedgerResult(List.of(), List.of(), List.of()));
        assertThat(outcomes.of(event("lost")).outcome()).isEqualTo(Outcome.DUPLICATE);
    }
}
