package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link UsageEventCodec}: every component of every event round-trips exactly. */
class UsageEventCodecTest {

    /** Characters the door accepts in every text (plus line breaks and tabs in error messages). */
    private static final String ALPHABET = "aZ09-_:|;,{}[]\"'\\ nhs\u00e9\u00fc\u4e2d\u6587\u00a0";
    private static final String BREAKS = "\n\t\r";

    @Test
    void randomEventsRoundTripExactly() {
        SplittableRandom r = new SplittableRandom(20251127);
        for (int i = 0; i < 5_000; i++) {
            UsageEvent e = randomEvent(r, i);
            String text = UsageEventCodec.encode(e);
            UsageEvent back = UsageEventCodec.decode(text);
            assertThat(back).usingRecursiveComparison().isEqualTo(e);
            assertThat(back.occurredAt()).isEqualTo(e.occurredAt());
        }
    }

    @Test
    void extremesRoundTrip() {
        UsageEvent e = event("r:\ud83d\ude00|x", Long.MAX_VALUE, Long.MAX_VALUE, 1L, null, BillingMode.NONE,
                null, "m \ud83d\ude00", UsageEvent.MAX_TOKENS, 0, UsageEvent.MAX_TOKENS, 1,
                Money.ofNanos(Long.MAX_VALUE), Money.ZERO, Money.ofNanos(1),
                Money.ofNanos(Long.MAX_VALUE - 1), Money.ZERO, Money.ofNanos(9_007_199_254_740_993L), 599,
                "x\n".repeat(UsageEvent.MAX_ERROR_MESSAGE_LENGTH / 2), Long.MAX_VALUE,
                Integer.MAX_VALUE, UsageEvent.MAX_OCCURRED_AT);
        UsageEvent back = UsageEventCodec.decode(UsageEventCodec.encode(e));
        assertThat(back).usingRecursiveComparison().isEqualTo(e);
    }

    @Test
    void corruptTextIsRejectedClearly() {
        String good = UsageEventCodec.encode(UsageEvent.builder("r1", 1).occurredAt(Instant.EPOCH).build());
        for (String bad : new String[] {null, "", "u2" + good.substring(2), good.substring(0, good.length() - 1),
                good + "n", good.replace("s2:r1", "s9:r1"), good.replace("s2:r1", "q2:r1")}) {
            assertThatThrownBy(() -> UsageEventCodec.decode(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static UsageEvent randomEvent(SplittableRandom r, int i) {
        BillingMode mode = BillingMode.values()[r.nextInt(3)];
        Long group = mode == BillingMode.SUBSCRIPTION || r.nextBoolean() ? r.nextLong(1, Long.MAX_VALUE) : null;
        return event("req-" + i + "-" + text(r, 1 + r.nextInt(40), false),
                r.nextLong(1, Long.MAX_VALUE), r.nextBoolean() ? r.nextLong(1, Long.MAX_VALUE) : null,
                r.nextBoolean() ? r.nextLong(1, Long.MAX_VALUE) : null, group, mode,
                r.nextBoolean() ? "platform" + r.nextInt(5) : null, r.nextBoolean() ? modelName(r) : null,
                tokens(r), tokens(r), tokens(r), tokens(r), money(r), money(r), money(r), money(r), money(r), money(r),
                100 + r.nextInt(500), r.nextBoolean() ? text(r, r.nextInt(200), true) : null,
                r.nextLong(0, Long.MAX_VALUE), 1 + r.nextInt(Integer.MAX_VALUE),
                Instant.ofEpochSecond(r.nextLong(0, UsageEvent.MAX_OCCURRED_AT.getEpochSecond()),
                        r.nextInt(1_000_000_000)));
    }

    /** Builds an event from every value in the order of the former positional constructor. */
    @SuppressWarnings("checkstyle:ParameterNumber")
    private static UsageEvent event(String requestId, long userId, Long apiKeyId, Long accountId, Long groupId,
                                    BillingMode mode, String platform, String model, long input, long output,
                                    long cacheCreation, long cacheRead, Money total, Money actual, Money inputCost,
                                    Money outputCost, Money cacheCreationCost, Money cacheReadCost, int status,
                                    String error, long responseTimeMs, int attempts, Instant at) {
        return UsageEvent.builder(requestId, userId).ids(apiKeyId, accountId, groupId)
                .billingMode(mode).platform(platform).model(model)
                .tokens(input, output, cacheCreation, cacheRead).totalCost(total).actualCost(actual)
                .costParts(inputCost, outputCost, cacheCreationCost, cacheReadCost).httpStatus(status)
                .errorMessage(error).responseTimeMs(responseTimeMs).attempts(attempts).occurredAt(at).build();
    }

    private static String modelName(SplittableRandom r) {
        String s = text(r, 1 + r.nextInt(60), false).strip();
        return s.isBlank() ? "m" : s;
    }

    private static String text(SplittableRandom r, int length, boolean lineBreaks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (lineBreaks && r.nextInt(8) == 0) {
                sb.append(BREAKS.charAt(r.nextInt(BREAKS.length())));
            } else if (r.nextInt(10) == 0) {
                sb.appendCodePoint(0x1F600 + r.nextInt(50));
            } else {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    private static long tokens(SplittableRandom r) {
        return r.nextBoolean() ? r.nextLong(0, UsageEvent.MAX_TOKENS + 1) : r.nextInt(3);
    }

    private static Money money(SplittableRandom r) {
        return Money.ofNanos(r.nextBoolean() ? r.nextLong(0, Long.MAX_VALUE) : r.nextInt(1000));
    }
}
