package dev.quota.demo;

import dev.quota.core.Decision;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decisions counted by outcome ({@code ALLOWED} or a deny code), each with its HTTP status and the first
 * {@code Retry-After} and user seen with it. Thread-safe; the counts do not depend on the order of calls.
 */
public final class DecisionTally {

    /**
     * One outcome.
     *
     * @param outcome {@code ALLOWED} or a deny code
     * @param httpStatus the status a gateway answers with
     * @param count how many decisions had it
     * @param retryAfterSeconds the smallest {@code Retry-After} seen, or {@code null} when none was given
     * @param sampleUser the smallest user id seen with it
     */
    public record Row(String outcome, int httpStatus, long count, Long retryAfterSeconds, long sampleUser) {
    }

    private final Map<String, Row> rows = new TreeMap<>();

    /**
     * Counts one decision.
     *
     * @param userId the user it was for
     * @param d the decision
     */
    public synchronized void count(long userId, Decision d) {
        String key = d.allowed() ? "ALLOWED" : d.reason().code();
        Long retry = d.retryAfterSeconds().orElse(null);
        rows.merge(key, new Row(key, d.httpStatus(), 1, retry, userId), (a, b) -> new Row(key, a.httpStatus(),
                a.count() + 1, min(a.retryAfterSeconds(), b.retryAfterSeconds()),
                Math.min(a.sampleUser(), b.sampleUser())));
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    /** @return the outcomes, sorted by name */
    public synchronized Map<String, Row> rows() {
        return new TreeMap<>(rows);
    }

    /**
     * @param outcome {@code ALLOWED} or a deny code
     * @return how many decisions had it
     */
    public synchronized long count(String outcome) {
        Row r = rows.get(outcome);
        return r == null ? 0 : r.count();
    }

    /** @return all decisions */
    public synchronized long total() {
        return rows.values().stream().mapToLong(Row::count).sum();
    }
}
