package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.jdbc.report.Granularity;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Trend buckets in the business zone, and the SQL pre-bucket length that makes them exact. */
class GranularityTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aDayAcrossTheSpringDstChangeLasts23Hours() {
        Instant noon = Instant.parse("2025-03-09T17:00:00Z"); // 13:00 EDT on the day clocks spring forward

        Instant start = Granularity.DAY.bucketStart(noon, NEW_YORK);

        assertThat(start).isEqualTo(Instant.parse("2025-03-09T05:00:00Z"));
        assertThat(Granularity.DAY.bucketEnd(start, NEW_YORK)).isEqualTo(Instant.parse("2025-03-10T04:00:00Z"));
    }

    @Test
    void weeksStartOnMondayMidnightInTheZone() {
        Instant sunday = Instant.parse("2025-03-09T15:59:59Z"); // Sunday 23:59:59 in Shanghai
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");

        assertThat(Granularity.WEEK.bucketStart(sunday, shanghai)).isEqualTo(Instant.parse("2025-03-02T16:00:00Z"));
        assertThat(Granularity.WEEK.bucketStart(sunday.plusSeconds(1), shanghai))
                .isEqualTo(Instant.parse("2025-03-09T16:00:00Z"));
        assertThat(Granularity.WEEK.bucketEnd(Instant.parse("2025-03-09T16:00:00Z"), shanghai))
                .isEqualTo(Instant.parse("2025-03-16T16:00:00Z"));
    }

    @Test
    void hoursFollowLocalTimeInAHalfHourZone() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");

        assertThat(Granularity.HOUR.bucketStart(Instant.parse("2025-03-09T15:40:00Z"), kolkata))
                .isEqualTo(Instant.parse("2025-03-09T15:30:00Z"));
        assertThat(Granularity.HOUR.bucketEnd(Instant.parse("2025-03-09T15:30:00Z"), kolkata))
                .isEqualTo(Instant.parse("2025-03-09T16:30:00Z"));
    }

    @Test
    void theRepeatedHourOfTheAutumnDstChangeIsTwoBuckets() {
        Instant firstOneAm = Instant.parse("2025-11-02T05:30:00Z");  // 01:30 EDT
        Instant secondOneAm = Instant.parse("2025-11-02T06:30:00Z"); // 01:30 EST

        assertThat(Granularity.HOUR.bucketStart(firstOneAm, NEW_YORK)).isEqualTo(Instant.parse("2025-11-02T05:00:00Z"));
        assertThat(Granularity.HOUR.bucketStart(secondOneAm, NEW_YORK)).isEqualTo(Instant.parse("2025-11-02T06:00:00Z"));
    }

    @Test
    void thePreBucketDividesAnHourAndEveryOffsetOfTheZone() {
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        Instant to = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(JdbcUsageReports.unitMillis(ZoneOffset.UTC, from, to)).isEqualTo(3_600_000);
        assertThat(JdbcUsageReports.unitMillis(NEW_YORK, from, to)).isEqualTo(3_600_000);
        assertThat(JdbcUsageReports.unitMillis(ZoneId.of("Asia/Kolkata"), from, to)).isEqualTo(1_800_000);
        assertThat(JdbcUsageReports.unitMillis(ZoneId.of("Asia/Kathmandu"), from, to)).isEqualTo(900_000);
        assertThat(JdbcUsageReports.unitMillis(ZoneId.of("Australia/Lord_Howe"), from, to)).isEqualTo(1_800_000);
        // Shanghai's local mean time (+08:05:43) before 1901: only whole seconds divide it
        assertThat(JdbcUsageReports.unitMillis(ZoneId.of("Asia/Shanghai"), Instant.parse("1900-01-01T00:00:00Z"), to))
                .isEqualTo(1_000);
    }
}
