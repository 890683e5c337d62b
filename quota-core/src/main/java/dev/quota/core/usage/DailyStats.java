package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Statistics of one business day (a calendar day in the business zone), either global ({@code userId}
 * {@code null}) or of one user. Immutable.
 *
 * <p>Besides the summable {@link UsageTotals} a day carries three figures that are not sums of smaller days:
 * how many requests needed more than one upstream attempt ({@link dev.quota.core.UsageOutcome#attempts()} {@code > 1}, the
 * seeds' "fallback count"), and how many distinct models and distinct platforms (providers) were used. An event
 * without a model (or platform) does not count as a model (or platform).
 *
 * @param date the business date
 * @param userId the user, or {@code null} for all users
 * @param totals the day's totals
 * @param retriedRequests requests of the day that needed more than one upstream attempt, 0 to {@code requests}
 * @param distinctModels distinct non-null models used that day, at least 0
 * @param distinctPlatforms distinct non-null platforms used that day, at least 0
 */
public record DailyStats(LocalDate date, Long userId, UsageTotals totals, long retriedRequests, long distinctModels,
                         long distinctPlatforms) {

    /**
     * Rejects nulls, a non-positive user and figures outside their range.
     *
     * @param date the business date
     * @param userId the user, or {@code null} for all users
     * @param totals the day's totals
     * @param retriedRequests requests that needed more than one upstream attempt
     * @param distinctModels distinct models used
     * @param distinctPlatforms distinct platforms used
     */
    public DailyStats {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(totals, "totals");
        if (userId != null && userId <= 0) {
            throw new IllegalArgumentException("userId must be positive (or null for global statistics): " + userId);
        }
        if (retriedRequests < 0 || retriedRequests > totals.requests()) {
            throw new IllegalArgumentException("retriedRequests must be between 0 and the requests ("
                    + totals.requests() + "): " + retriedRequests);
        }
        if (distinctModels < 0 || distinctPlatforms < 0) {
            throw new IllegalArgumentException("distinct counts must not be negative: models " + distinctModels
                    + ", platforms " + distinctPlatforms);
        }
    }

    /**
     * A day with totals only (no retried requests, no distinct models or platforms); for stores and tests that
     * do not track those figures.
     *
     * @param date the business date
     * @param userId the user, or {@code null} for all users
     * @param totals the day's totals
     */
    public DailyStats(LocalDate date, Long userId, UsageTotals totals) {
        this(date, userId, totals, 0, 0, 0);
    }

    /**
     * A day without usage.
     *
     * @param date the business date
     * @param userId the user, or {@code null} for all users
     * @return zero statistics of that day
     */
    public static DailyStats zero(LocalDate date, Long userId) {
        return new DailyStats(date, userId, UsageTotals.ZERO, 0, 0, 0);
    }

    /**
     * The statistics of a set of events (typically one business day's), counted in Java.
     *
     * @param date the business date the events belong to
     * @param userId the user, or {@code null} for all users
     * @param events the events
     * @return their statistics
     */
    public static DailyStats of(LocalDate date, Long userId, Iterable<UsageEvent> events) {
        Tally t = new Tally();
        events.forEach(t::add);
        return t.toStats(date, userId);
    }

    /**
     * Accumulates {@link DailyStats} event by event (one pass, memory bounded by the distinct models and
     * platforms). Not thread-safe.
     */
    public static final class Tally {
        private UsageTotals totals = UsageTotals.ZERO;
        private long retried;
        private final java.util.Set<String> models = new java.util.HashSet<>();
        private final java.util.Set<String> platforms = new java.util.HashSet<>();

        /** Creates an empty tally. */
        public Tally() {
        }

        /**
         * @param e an event to count
         */
        public void add(UsageEvent e) {
            totals = totals.plus(UsageTotals.of(e));
            if (e.outcome().attempts() > 1) {
                retried++;
            }
            if (e.model() != null) {
                models.add(e.model());
            }
            if (e.platform() != null) {
                platforms.add(e.platform());
            }
        }

        /**
         * @param date the business date
         * @param userId the user, or {@code null} for all users
         * @return the statistics of the events added so far
         */
        public DailyStats toStats(LocalDate date, Long userId) {
            return new DailyStats(date, userId, totals, retried, models.size(), platforms.size());
        }
    }
}
