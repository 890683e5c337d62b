package dev.quota.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream account's current session (5-hour) window as the gateway observed it on proxied responses.
 * Immutable.
 *
 * @param start when the window started, or {@code null} when unknown; {@link AccountUsageService} counts the
 *     account's window statistics from here (else from 5 hours ago)
 * @param end when the window ends (resets), or {@code null} when unknown
 * @param status the window's last reported status; never null ({@link SessionStatus#UNKNOWN} when none)
 */
public record SessionWindow(Instant start, Instant end, SessionStatus status) {

    /** No window observed yet. */
    public static final SessionWindow NONE = new SessionWindow(null, null, SessionStatus.UNKNOWN);

    /**
     * Validates.
     *
     * @param start when the window started, or {@code null}
     * @param end when the window ends, or {@code null}
     * @param status the last reported status
     * @throws IllegalArgumentException if {@code status} is null or {@code end} is before {@code start}
     */
    public SessionWindow {
        if (status == null) {
            throw new IllegalArgumentException("status must not be null (use SessionStatus.UNKNOWN)");
        }
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("end must not be before start: " + start + " > " + end);
        }
    }

    /** @return {@link #start()} as an optional */
    public Optional<Instant> startTime() {
        return Optional.ofNullable(start);
    }

    /** @return {@link #end()} as an optional */
    public Optional<Instant> endTime() {
        return Optional.ofNullable(end);
    }

    @Override
    public String toString() {
        return "SessionWindow[" + Objects.toString(start, "?") + ".." + Objects.toString(end, "?") + ", " + status + "]";
    }
}
