package dev.quota.core.window;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * A time window over which usage is counted, with its math in a business {@link ZoneId}.
 *
 * <p>Every method takes {@code now} explicitly (read it from an injected {@link java.time.Clock}); nothing
 * here reads the system clock. A window's recorded start may be {@code null}, meaning "no usage recorded
 * yet"; such a window is always expired.
 *
 * <table>
 *   <caption>Window kinds</caption>
 *   <tr><th>kind</th><th>start</th><th>expired when</th><th>next reset</th></tr>
 *   <tr><td>{@link #calendarDay()}</td><td>00:00 today in the zone</td><td>start before today's 00:00</td><td>tomorrow 00:00</td></tr>
 *   <tr><td>{@link #calendarWeek()}</td><td>Monday 00:00 in the zone</td><td>start before this Monday 00:00</td><td>next Monday 00:00</td></tr>
 *   <tr><td>{@link #calendarMonth()}</td><td>the 1st, 00:00 in the zone</td><td>start before this month's 1st</td><td>next 1st</td></tr>
 *   <tr><td>{@link #rolling(Duration)}</td><td>first use after expiry</td><td>{@code now - start >= length}</td><td>{@code start + length}, or {@code now + length} when expired</td></tr>
 *   <tr><td>{@link #fixed(Duration)}</td><td>epoch-aligned bucket</td><td>start before the current bucket</td><td>bucket end</td></tr>
 * </table>
 *
 * <p>Calendar days follow the zone's rules, so a day may last 23 or 25 hours across a DST change.
 * Implementations are immutable and thread-safe.
 */
public sealed interface Window permits Window.Calendar, Window.Rolling, Window.Fixed {

    /** @return the calendar day window (00:00 to 00:00 in the business zone) */
    static Window calendarDay() {
        return Calendar.DAY;
    }

    /** @return the calendar week window (Monday 00:00 to Monday 00:00 in the business zone) */
    static Window calendarWeek() {
        return Calendar.WEEK;
    }

    /** @return the calendar month window (1st 00:00 to 1st 00:00 in the business zone) */
    static Window calendarMonth() {
        return Calendar.MONTH;
    }

    /**
     * A rolling window that starts at the first use after the previous window expired.
     *
     * @param length the window length; positive, whole milliseconds
     * @return the window
     * @throws IllegalArgumentException if {@code length} is zero, negative or not whole milliseconds
     */
    static Window rolling(Duration length) {
        return new Rolling(length);
    }

    /**
     * An epoch-aligned fixed bucket, e.g. one minute for requests-per-minute.
     *
     * @param length the bucket length; positive, at least one millisecond
     * @return the window
     * @throws IllegalArgumentException if {@code length} is null or shorter than one millisecond
     */
    static Window fixed(Duration length) {
        return new Fixed(length);
    }

    /**
     * Whether a window that started at {@code start} is over at {@code now}; expired windows count as zero usage.
     *
     * @param start the recorded start, or {@code null} when there is none yet
     * @param now the current instant
     * @param zone the business time zone
     * @return true when the window is expired (or has no start)
     */
    boolean isExpired(Instant start, Instant now, ZoneId zone);

    /**
     * The start the window has once usage is recorded at {@code now}: the recorded start while the window is
     * live, otherwise the start of the new window ({@code now} for rolling windows, the period start for
     * calendar and fixed windows).
     *
     * @param start the recorded start, or {@code null}
     * @param now the current instant
     * @param zone the business time zone
     * @return the effective start
     */
    Instant startAt(Instant start, Instant now, ZoneId zone);

    /**
     * When the window that is (or would be, once used) live at {@code now} resets.
     *
     * @param start the recorded start, or {@code null}
     * @param now the current instant
     * @param zone the business time zone
     * @return the next reset instant, always after {@code now}
     */
    Instant nextReset(Instant start, Instant now, ZoneId zone);

    /**
     * Time until {@link #nextReset}.
     *
     * @param start the recorded start, or {@code null}
     * @param now the current instant
     * @param zone the business time zone
     * @return a positive duration
     */
    default Duration remaining(Instant start, Instant now, ZoneId zone) {
        return Duration.between(now, nextReset(start, now, zone));
    }

    /**
     * The usage that counts at {@code now}: {@code used} while the window is live, zero once it expired.
     *
     * @param used the recorded usage
     * @param start the recorded start, or {@code null}
     * @param now the current instant
     * @param zone the business time zone
     * @return {@code used} or zero
     */
    default long effectiveUsage(long used, Instant start, Instant now, ZoneId zone) {
        return isExpired(start, now, zone) ? 0L : used;
    }

    /**
     * The expiry threshold in epoch milliseconds, for stores and scripts that compare integers: a window
     * whose recorded start (in epoch ms) is <em>less than</em> this value, or that has no start, is expired
     * at {@code now}. Quota keeps window starts at millisecond precision.
     *
     * @param now the current instant
     * @param zone the business time zone
     * @return the threshold in epoch milliseconds
     */
    long expiredBeforeMillis(Instant now, ZoneId zone);

    /** @return a short stable label, e.g. {@code "day"}, {@code "week"}, {@code "rolling:PT5H"}, {@code "fixed:PT1M"} */
    String label();

    /** Calendar windows in the business zone. */
    enum Calendar implements Window {
        /** 00:00 to 00:00. */
        DAY,
        /** Monday 00:00 to Monday 00:00. */
        WEEK,
        /** The 1st 00:00 to the next 1st 00:00. */
        MONTH;

        /**
         * The start of the calendar period containing {@code now}.
         *
         * @param now the instant
         * @param zone the business zone
         * @return the period start
         */
        public Instant periodStart(Instant now, ZoneId zone) {
            return firstDay(now.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
        }

        private LocalDate firstDay(LocalDate date) {
            return switch (this) {
                case DAY -> date;
                case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> date.withDayOfMonth(1);
            };
        }

        private LocalDate nextFirstDay(LocalDate date) {
            LocalDate first = firstDay(date);
            return switch (this) {
                case DAY -> first.plusDays(1);
                case WEEK -> first.plusWeeks(1);
                case MONTH -> first.plusMonths(1);
            };
        }

        @Override
        public boolean isExpired(Instant start, Instant now, ZoneId zone) {
            return start == null || start.isBefore(periodStart(now, zone));
        }

        @Override
        public Instant startAt(Instant start, Instant now, ZoneId zone) {
            return isExpired(start, now, zone) ? periodStart(now, zone) : start;
        }

        @Override
        public long expiredBeforeMillis(Instant now, ZoneId zone) {
            return periodStart(now, zone).toEpochMilli();
        }

        @Override
        public Instant nextReset(Instant start, Instant now, ZoneId zone) {
            return nextFirstDay(now.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
        }

        @Override
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A rolling window of fixed length that starts at its first use.
     *
     * @param length the window length
     */
    record Rolling(Duration length) implements Window {
        /**
         * Validates the length.
         *
         * @param length the bucket length
         */
        public Rolling {
            requirePositive(length);
        }

        @Override
        public boolean isExpired(Instant start, Instant now, ZoneId zone) {
            return start == null || Duration.between(start, now).compareTo(length) >= 0;
        }

        @Override
        public Instant startAt(Instant start, Instant now, ZoneId zone) {
            return isExpired(start, now, zone) ? now : start;
        }

        @Override
        public long expiredBeforeMillis(Instant now, ZoneId zone) {
            return now.toEpochMilli() - length.toMillis() + 1;
        }

        @Override
        public Instant nextReset(Instant start, Instant now, ZoneId zone) {
            return startAt(start, now, zone).plus(length);
        }

        @Override
        public String label() {
            return "rolling:" + length;
        }
    }

    /**
     * An epoch-aligned bucket of fixed length.
     *
     * @param length the bucket length
     */
    record Fixed(Duration length) implements Window {
        /**
         * Validates the length.
         *
         * @param length the bucket length
         */
        public Fixed {
            requirePositive(length);
            if (length.toMillis() < 1) {
                throw new IllegalArgumentException("length must be at least 1 ms: " + length);
            }
        }

        /**
         * The start of the bucket that contains {@code now}.
         *
         * @param now the instant
         * @return the bucket start (epoch-aligned)
         */
        public Instant bucketStart(Instant now) {
            long len = length.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), len) * len);
        }

        @Override
        public boolean isExpired(Instant start, Instant now, ZoneId zone) {
            return start == null || start.isBefore(bucketStart(now));
        }

        @Override
        public Instant startAt(Instant start, Instant now, ZoneId zone) {
            return bucketStart(now);
        }

        @Override
        public long expiredBeforeMillis(Instant now, ZoneId zone) {
            return bucketStart(now).toEpochMilli();
        }

        @Override
        public Instant nextReset(Instant start, Instant now, ZoneId zone) {
            return bucketStart(now).plus(length);
        }

        @Override
        public String label() {
            return "fixed:" + length;
        }
    }

    private static void requirePositive(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("window length must be positive: " + length);
        }
        // Window math, stores and scripts work in whole milliseconds.
        if (length.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("window length must be a whole number of milliseconds: " + length);
        }
    }
}
