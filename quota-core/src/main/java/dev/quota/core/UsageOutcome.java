package dev.quota.core;

/**
 * How one request went ({@link UsageEvent#outcome()}).
 *
 * @param httpStatus the HTTP status answered (100 to 599)
 * @param errorMessage the error message (at most 4096 characters; tab, LF and CR are the only control
 *                     characters allowed), or {@code null}
 * @param responseTimeMs response time in milliseconds, not negative
 * @param attempts upstream attempts made, at least 1
 */
public record UsageOutcome(int httpStatus, String errorMessage, long responseTimeMs, int attempts) {
    /** @return true when the request failed: status 400 or above, or an error message */
    public boolean isError() {
        return httpStatus >= 400 || errorMessage != null;
    }
}
