package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecurringDigitsTest {

    private static String text(Arg a) {
        return new String(a.getRaw(), StandardCharsets.US_ASCII);
    }

    @Test
    void digits_are_long_to_string_for_any_value_in_any_order() {
        RecurringDigits digits = new RecurringDigits();
        SplittableRandom random = new SplittableRandom(11);
        long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000L, 64, 128};
        for (int round = 0; round < 3; round++) {
            for (long v : edges) {
                assertThat(text(digits.digits(v))).isEqualTo(Long.toString(v));
            }
            // far more values than slots: every slot is overwritten many times
            for (int i = 0; i < 5_000; i++) {
                long v = random.nextLong() >> random.nextInt(64);
                assertThat(text(digits.digits(v))).isEqualTo(Long.toString(v));
            }
        }
    }

    @Test
    void a_recurring_value_is_encoded_once() {
        RecurringDigits digits = new RecurringDigits();
        Arg first = digits.digits(5_000_000_000L);

        assertThat(digits.digits(5_000_000_000L)).isSameAs(first);
    }
}
