package dev.quota.jdbc.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * The bucket size of a trend. Buckets are calendar units in the business zone: an hour starts at a whole
 * hour of local time (so a +05:30 zone's hours start at :30 UTC), a day at local midnight (a day lasts 23 or
 * 25 hours across a DST change), a week on Monday at local midnight.
 */
public enum Granularity {
    /** One hour of local time. */
    HOUR,
    /** One calendar day in the business zone. */
    DAY,
    /** One calendar week (Monday to Monday) in the business zone. */
    WEEK;

    /**
     * @param at an instant
     * @param zone the business zone
     * @return the start of the bucket containing {@code at}
     */
    public Instant bucketStart(Instant at, ZoneId zone) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(zone, "zone");
        return switch (this) {
            case HOUR -> at.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY -> at.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
            case WEEK -> monday(at.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
        };
    }

    /**
     * @param bucketStart a bucket start as returned by {@link #bucketStart}
     * @param zone the business zone
     * @return the start of the next bucket (the end of this one, exclusive)
     */
    public Instant bucketEnd(Instant bucketStart, ZoneId zone) {
        Objects.requireNonNull(bucketStart, "bucketStart");
        Objects.requireNonNull(zone, "zone");
        return switch (this) {
            case HOUR -> bucketStart.plus(Duration.ofHours(1));
            case DAY -> bucketStart.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            case WEEK -> monday(bucketStart.atZone(zone).toLocalDate()).plusWeeks(1).atStartOfDay(zone).toInstant();
        };
    }

    private static LocalDate monday(LocalDate date) {
        return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
