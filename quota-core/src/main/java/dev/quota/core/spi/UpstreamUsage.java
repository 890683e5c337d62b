package dev.quota.core.spi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An upstream account's own usage window as its provider reports it (e.g. Anthropic's 5-hour, 7-day and
 * per-model-family 7-day utilization). Immutable.
 *
 * <p>Window names: {@link #FIVE_HOUR}, {@link #SEVEN_DAY} and {@link #sevenDayOf(String)} for the 7-day window
 * of one model family (e.g. {@code "7d:sonnet"}); a fetcher may report other names, which
 * {@code AccountUsageService} ignores.
 *
 * <p>A provider may report a window without a reset time (the window is not active) or with a reset time that
 * cannot be parsed; {@link #resetReported()} tells the two apart, so that a parse failure keeps the
 * utilization and drops only the reset time ({@link #reported(String, double, String)}).
 *
 * @param window the window name, e.g. {@link #FIVE_HOUR} or {@link #SEVEN_DAY}; not blank
 * @param utilizationPercent utilization in percent as reported, {@code >= 0} (100 = the allowance is used up;
 *     a display value, not money)
 * @param resetsAt when the window resets, or {@code null} when the provider gave none or gave one that could
 *     not be parsed
 * @param resetReported true when the provider gave a reset time (parsable or not); always true when
 *     {@code resetsAt} is set
 */
public record UpstreamUsage(String window, double utilizationPercent, Instant resetsAt, boolean resetReported) {

    /** The name of the provider's 5-hour (session) window. */
    public static final String FIVE_HOUR = "5h";
    /** The name of the provider's 7-day window over all models. */
    public static final String SEVEN_DAY = "7d";

    private static final String MODEL_FAMILY_PREFIX = SEVEN_DAY + ":";

    /**
     * Validates.
     *
     * @param window the window name; not blank
     * @param utilizationPercent utilization in percent, a finite number {@code >= 0}
     * @param resetsAt when the window resets, or {@code null}
     * @param resetReported true when the provider gave a reset time; must be true when {@code resetsAt} is set
     * @throws IllegalArgumentException on a blank name, a negative or non-finite utilization, or a reset time
     *     with {@code resetReported} false
     */
    public UpstreamUsage {
        if (window == null || window.isBlank()) {
            throw new IllegalArgumentException("window must not be blank: " + window);
        }
        if (!Double.isFinite(utilizationPercent) || utilizationPercent < 0) {
            throw new IllegalArgumentException("utilizationPercent must be a finite number >= 0: " + utilizationPercent);
        }
        if (resetsAt != null && !resetReported) {
            throw new IllegalArgumentException("a window with a reset time must have resetReported = true");
        }
    }

    /**
     * A window whose reset time is known ({@code resetsAt} non-null) or absent ({@code null}: not reported).
     *
     * @param window the window name; not blank
     * @param utilizationPercent utilization in percent, {@code >= 0}
     * @param resetsAt when the window resets, or {@code null} when the provider gave none
     * @throws IllegalArgumentException on a blank name or a negative or non-finite utilization
     */
    public UpstreamUsage(String window, double utilizationPercent, Instant resetsAt) {
        this(window, utilizationPercent, resetsAt, resetsAt != null);
    }

    /**
     * A window as the provider wrote it: the reset time is parsed with {@link #parseResetTime(String)}; a
     * {@code null} or empty text means "not reported", an unparsable one keeps the window with
     * {@code resetsAt == null} and {@code resetReported == true}.
     *
     * @param window the window name; not blank
     * @param utilizationPercent utilization in percent, {@code >= 0}
     * @param resetsAtText the provider's reset time text (RFC 3339), or {@code null}
     * @return the window
     * @throws IllegalArgumentException on a blank name or a negative or non-finite utilization
     */
    public static UpstreamUsage reported(String window, double utilizationPercent, String resetsAtText) {
        boolean given = resetsAtText != null && !resetsAtText.isEmpty();
        Instant parsed = given ? parseResetTime(resetsAtText).orElse(null) : null;
        return new UpstreamUsage(window, utilizationPercent, parsed, given);
    }

    /**
     * Parses an RFC 3339 timestamp with or without fractional seconds, with {@code Z} or a numeric offset
     * (e.g. {@code 2025-03-10T13:00:00Z}, {@code 2025-03-10T13:00:00.123456+08:00}).
     *
     * @param text the text
     * @return the instant, empty when {@code text} is null or not an RFC 3339 timestamp
     */
    public static Optional<Instant> parseResetTime(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * @param modelFamily a model family such as {@code "sonnet"} or {@code "opus"}; not blank, no {@code ':'}
     * @return the name of that family's 7-day window, e.g. {@code "7d:sonnet"}
     * @throws IllegalArgumentException on a blank family or one containing {@code ':'}
     */
    public static String sevenDayOf(String modelFamily) {
        if (modelFamily == null || modelFamily.isBlank() || modelFamily.indexOf(':') >= 0) {
            throw new IllegalArgumentException("modelFamily must be a non-blank name without ':': " + modelFamily);
        }
        return MODEL_FAMILY_PREFIX + modelFamily;
    }

    /** @return the model family of a per-family 7-day window ({@code "sonnet"} for {@code "7d:sonnet"}), else empty */
    public Optional<String> modelFamily() {
        return window.startsWith(MODEL_FAMILY_PREFIX) && window.length() > MODEL_FAMILY_PREFIX.length()
                ? Optional.of(window.substring(MODEL_FAMILY_PREFIX.length()))
                : Optional.empty();
    }

    /** @return {@link #resetsAt()} as an optional */
    public Optional<Instant> resetTime() {
        return Optional.ofNullable(resetsAt);
    }
}
