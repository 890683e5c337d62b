package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An outage that fails every call logs one line per interval, not one per call. */
class ThrottledLogTest {

    private final StepClock clock = new StepClock();
    private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(ThrottledLogTest.class), clock,
            Duration.ofSeconds(5));

    @Test
    void theFirstEventLogsAndTheRestOfTheIntervalIsOnlyCounted() {
        assertThat(log.record("{} failures (latest: {})", "a")).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(log.record("{} failures (latest: {})", "b")).isFalse();
        }
        clock.advance(Duration.ofSeconds(5));
        assertThat(log.record("{} failures (latest: {})", "c")).isTrue();
        assertThat(log.total()).isEqualTo(1002);
    }
}
