package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Failure messages shortened for log lines. */
class LogTextTest {

    @Test
    void keepsTheFirstLineStripped() {
        assertThat(LogText.brief("  connection refused \n\tat org.postgresql...")).isEqualTo("connection refused");
    }

    @Test
    void cutsALongLineAtTheMaximum() {
        String brief = LogText.brief("x".repeat(LogText.MAX + 50));
        assertThat(brief).hasSize(LogText.MAX + 3).endsWith("...");
    }

    @Test
    void aMissingMessageIsEmpty() {
        assertThat(LogText.brief(null)).isEmpty();
        assertThat(LogText.brief("")).isEmpty();
    }
}
