package dev.quota.upstream.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date, which is
 * turned into the delay from {@code now} (0 when the date is past). Stateless.
 */
final class RetryAfter {

    /** Longer delays are capped: a provider asking for more than a day is treated as asking for a day. */
    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /**
     * @param header the header value, or {@code null}
     * @param now the current time, for HTTP-dates
     * @return the delay, at most {@link #MAX}; empty when absent or unparsable
     */
    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more than 10 digits is more than MAX anyway; avoids overflowing the parse
            long seconds = value.length() > 10 ? Long.MAX_VALUE : Long.parseLong(value);
            return Optional.of(cap(Duration.ofSeconds(Math.min(seconds, MAX.getSeconds()))));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? cap(Duration.between(now, at)) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
