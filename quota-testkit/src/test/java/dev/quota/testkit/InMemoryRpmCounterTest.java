package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryRpmCounterTest {

    private static final Instant BUCKET = Instant.parse("2025-03-10T08:00:00Z");

    @Test
    void countShowsTheBucketsCount() {
        InMemoryRpmCounter rpm = new InMemoryRpmCounter();
        rpm.increment(42, null, BUCKET);
        rpm.increment(42, null, BUCKET);
        assertThat(rpm.count(42, null, BUCKET)).isEqualTo(2);
        assertThat(rpm.count(42, 7L, BUCKET)).isZero();
    }

    @Test
    void bucketsOlderThanTheRetentionArePurgedOnceANewerBucketIsUsed() {
        InMemoryRpmCounter rpm = new InMemoryRpmCounter();
        rpm.increment(42, null, BUCKET);
        rpm.increment(42, null, BUCKET.plus(InMemoryRpmCounter.RETENTION));
        assertThat(rpm.count(42, null, BUCKET)).isEqualTo(1);
        rpm.increment(42, null, BUCKET.plus(InMemoryRpmCounter.RETENTION).plus(Duration.ofMinutes(1)));
        assertThat(rpm.count(42, null, BUCKET)).isZero();
    }
}
