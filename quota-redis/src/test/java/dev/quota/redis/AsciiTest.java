package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void digitsAreLongToStringForEdgesAndRandomValues() {
        long[] edges = {0, 1, -1, 9, 10, -10, 99, 100, 999_999_999_999_999L, 1_000_000_000_000_000L,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : edges) {
            assertThat(new String(Ascii.digits(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
            assertThat(Ascii.decimalLength(v)).isEqualTo(Long.toString(v).length());
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            assertThat(new String(Ascii.digits(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
            assertThat(Ascii.decimalLength(v)).isEqualTo(Long.toString(v).length());
        }
    }

    @Test
    void partsAreJoinedAsUtf8AndTheScratchBufferGrowsAndIsReused() {
        String wide = "é-" + "x".repeat(300) + "-\uD83D\uDE00";
        byte[] joined = Ascii.start().add(Ascii.utf8("k:")).add(42).add(":").add(wide).add(-7).bytes();
        assertThat(new String(joined, StandardCharsets.UTF_8)).isEqualTo("k:42:" + wide + "-7");
        // the next value starts empty
        assertThat(Ascii.start().add("a").bytes()).containsExactly('a');
    }
}
