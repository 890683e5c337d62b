package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Validation at the door: every value PostgreSQL, MariaDB or H2 would refuse or silently alter is rejected with
 * an IllegalArgumentException naming the field, by the builder (the only way in).
 */
class UsageEventDoorTest {

    private static final Instant AT = Instant.parse("2026-11-22T00:00:00Z");
    private static final UsageEvent OK = UsageEvent.builder("r-1", 1).apiKeyId(2).platform("anthropic")
            .model("claude").errorMessage("boom").occurredAt(AT).build();

    /** Builds with the builder; it must reject. */
    private static void rejected(String field, UnaryOperator<UsageEvent.Builder> change) {
        assertThatIllegalArgumentException().as(field + " (builder)")
                .isThrownBy(() -> change.apply(UsageEvent.builder("r-1", 1).occurredAt(AT)).build())
                .withMessageContaining(field);
    }

    /** Builds an event with every value given (the builder is the only way in). */
    private static UsageEvent canonical(String requestId, String platform, String model, String error,
                                        Money cost, Instant at) {
        return UsageEvent.builder(requestId, 1).billingMode(BillingMode.BALANCE).platform(platform).model(model)
                .totalCost(cost).actualCost(cost).errorMessage(error).occurredAt(at).build();
    }

    @Test
    void aNulCharacterIsRejectedInEveryText() {
        rejected("model", b -> b.model("a\u0000b"));
        rejected("errorMessage", b -> b.errorMessage("a\u0000b"));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("a\u0000b", 1).occurredAt(AT).build())
                .withMessageContaining("requestId");
        assertThatIllegalArgumentException().isThrownBy(() -> canonical("r", null, "a\u0000b", null, Money.ZERO, AT))
                .withMessageContaining("model");
        assertThatIllegalArgumentException().isThrownBy(() -> canonical("r", null, null, "a\u0000", Money.ZERO, AT))
                .withMessageContaining("errorMessage");
    }

    @Test
    void otherControlCharactersAreRejectedInIdsAndModels() {
        for (char c : new char[] {'\t', '\n', '\r', '\u0001', '\u001b', '\u007f', '\u0085', '\u009f'}) {
            rejected("model", b -> b.model("a" + c + "b"));
            assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r" + c, 1).occurredAt(AT)
                    .build()).withMessageContaining("requestId");
        }
    }

    @Test
    void tabsAndLineBreaksAreKeptInTheErrorMessageButNoOtherControlCharacter() {
        assertThat(UsageEvent.builder("r", 1).occurredAt(AT).errorMessage("line 1\r\n\tline 2").build()
                .outcome().errorMessage()).isEqualTo("line 1\r\n\tline 2");
        for (char c : new char[] {'\u0001', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085'}) {
            rejected("errorMessage", b -> b.errorMessage("x" + c));
        }
    }

    @Test
    void unpairedSurrogatesAreRejectedButPairsAreKept() {
        rejected("model", b -> b.model("a\ud83d"));
        rejected("model", b -> b.model("\ude00a"));
        rejected("errorMessage", b -> b.errorMessage("x\ud83dy"));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r\udc00", 1).occurredAt(AT).build())
                .withMessageContaining("requestId");
        assertThat(UsageEvent.builder("r-\ud83d\ude00", 1).model("m-\ud83d\ude00").errorMessage("\ud83d\ude00")
                .occurredAt(AT).build().model()).isEqualTo("m-\ud83d\ude00");
    }

    @Test
    void textsLongerThanTheirColumnsAreRejected() {
        rejected("model", b -> b.model("m".repeat(129)));
        rejected("errorMessage", b -> b.errorMessage("e".repeat(4097)));
        rejected("platform", b -> b.platform("p".repeat(65)));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r".repeat(129), 1).occurredAt(AT)
                .build()).withMessageContaining("requestId");
        assertThat(UsageEvent.builder("r".repeat(128), 1).model("m".repeat(128)).occurredAt(AT).build().model())
                .hasSize(128);
    }

    @Test
    void instantsOutsideYearsNineteenSeventyToNineNineNineNineAreRejected() {
        rejected("occurredAt", b -> b.occurredAt(Instant.MAX));
        rejected("occurredAt", b -> b.occurredAt(Instant.MIN));
        rejected("occurredAt", b -> b.occurredAt(Instant.parse("1969-12-31T23:59:59.999Z")));
        rejected("occurredAt", b -> b.occurredAt(Instant.parse("+10000-01-01T00:00:00Z")));
        assertThatIllegalArgumentException().isThrownBy(() -> canonical("r", null, null, null, Money.ZERO,
                Instant.ofEpochSecond(Long.MAX_VALUE / 1000 + 1))).withMessageContaining("occurredAt");
        assertThat(UsageEvent.builder("r", 1).occurredAt(Instant.EPOCH).build().occurredAt()).isEqualTo(Instant.EPOCH);
        assertThat(UsageEvent.builder("r", 1).occurredAt(UsageEvent.MAX_OCCURRED_AT).build().occurredAt())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
    }

    @Test
    void negativeNumbersAndTokenCountsAboveTheBoundAreRejected() {
        rejected("inputTokens", b -> b.tokens(-1, 0, 0, 0));
        rejected("cacheReadTokens", b -> b.tokens(0, 0, 0, UsageEvent.MAX_TOKENS + 1));
        rejected("totalCost", b -> b.totalCost(Money.ofNanos(-1)));
        rejected("actualCost", b -> b.actualCost(Money.ofNanos(-1)));
        rejected("inputCost", b -> b.costParts(Money.ofNanos(-5), Money.ZERO, Money.ZERO, Money.ZERO));
        rejected("responseTimeMs", b -> b.responseTimeMs(-1));
        rejected("attempts", b -> b.attempts(0));
        rejected("httpStatus", b -> b.httpStatus(600));
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r", 0).occurredAt(AT).build())
                .withMessageContaining("userId");
        assertThat(UsageEvent.builder("r", Long.MAX_VALUE).totalCost(Money.MAX).responseTimeMs(Long.MAX_VALUE)
                .occurredAt(AT).build().costs().total()).isEqualTo(Money.MAX); // every BIGINT holds them
        assertThat(UsageEvent.builder("r", 1).tokens(UsageEvent.MAX_TOKENS, 0, 0, 0).occurredAt(AT).build()
                .tokens().input()).isEqualTo(UsageEvent.MAX_TOKENS);
    }

    @Test
    void aValidEventPassesUnchanged() {
        assertThat(canonical("r-1", "anthropic", "claude", "boom", Money.ZERO, AT).model()).isEqualTo("claude");
        assertThat(OK.outcome().errorMessage()).isEqualTo("boom");
    }
}
