package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant T0 = Instant.parse("2025-03-10T08:00:00Z");

    @Test
    void startsAtTheGivenInstantInUtc() {
        MutableClock clock = MutableClock.at(T0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void startingAtParsesAnIsoInstant() {
        assertThat(MutableClock.startingAt("2025-03-10T08:00:00Z").instant()).isEqualTo(T0);
        assertThat(MutableClock.startingAt("2025-03-10T08:00:00Z", ZoneId.of("Asia/Shanghai")).getZone())
                .isEqualTo(ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void startingAtRejectsTextThatIsNotAnInstant() {
        assertThatThrownBy(() -> MutableClock.startingAt("2025-03-10 08:00")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void doesNotMoveOnItsOwn() {
        MutableClock clock = MutableClock.at(T0);
        clock.instant();
        assertThat(clock.instant()).isEqualTo(T0);
    }

    @Test
    void advanceMovesForwardAndReturnsTheNewTime() {
        MutableClock clock = MutableClock.at(T0);
        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(300));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(300));
    }

    @Test
    void advanceRejectsNegativeDurations() {
        MutableClock clock = MutableClock.at(T0);
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.instant()).isEqualTo(T0);
    }

    @Test
    void setMovesToAnyInstantIncludingBackwards() {
        MutableClock clock = MutableClock.at(T0);
        clock.set(T0.minusSeconds(60));
        assertThat(clock.instant()).isEqualTo(T0.minusSeconds(60));
    }

    @Test
    void keepsSubMillisecondPrecisionAsSet() {
        MutableClock clock = MutableClock.at(T0.plusNanos(1_500_000));
        assertThat(clock.instant()).isEqualTo(T0.plusNanos(1_500_000));
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli() + 1);
    }

    @Test
    void withZoneSharesTheTimeSource() {
        MutableClock utc = MutableClock.at(T0);
        MutableClock shanghai = utc.withZone(ZoneId.of("Asia/Shanghai"));
        utc.advance(Duration.ofHours(1));
        assertThat(shanghai.instant()).isEqualTo(T0.plusSeconds(3600));
        shanghai.advance(Duration.ofHours(1));
        assertThat(utc.instant()).isEqualTo(T0.plusSeconds(7200));
        assertThat(shanghai.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(utc.withZone(ZoneOffset.UTC)).isSameAs(utc);
    }

    @Test
    void isAClockForCodeThatTakesOne() {
        Clock clock = MutableClock.at(T0, ZoneId.of("America/New_York"));
        assertThat(java.time.LocalDate.now(clock)).isEqualTo(java.time.LocalDate.of(2025, 3, 10));
    }

    @Test
    void clocksAreEqualOnlyWhenTheyShareTheTimeSourceAndZone() {
        MutableClock a = MutableClock.at(T0);
        assertThat(a).isEqualTo(a.withZone(ZoneId.of("UTC")).withZone(ZoneOffset.UTC));
        assertThat(a).isNotEqualTo(MutableClock.at(T0));
        assertThat(a).isNotEqualTo(a.withZone(ZoneId.of("Asia/Shanghai")));
        assertThat(a.hashCode()).isEqualTo(a.withZone(ZoneOffset.UTC).hashCode());
    }

    @Test
    void concurrentAdvancesAreNeverLost() throws Exception {
        MutableClock clock = MutableClock.at(T0);
        int threads = 16;
        int steps = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < steps; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.instant()).isEqualTo(T0.plusMillis((long) threads * steps));
    }
}
