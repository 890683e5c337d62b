package dev.quota.core.limit;

import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Usage of one API key: cost (nano-units) in its rolling 5 h / 1 d / 7 d windows, and the input + output tokens
 * recorded in the current minute ({@link QuotaWindows#TPM}).
 *
 * @param userId the user owning the key
 * @param apiKeyId the key
 * @param fiveHours usage in the 5 h window
 * @param oneDay usage in the 1 d window
 * @param sevenDays usage in the 7 d window
 * @param tokensMinute tokens in the current minute
 */
public record KeyUsage(long userId, long apiKeyId, WindowUsage fiveHours, WindowUsage oneDay, WindowUsage sevenDays,
                       WindowUsage tokensMinute) {

    /**
     * Rejects nulls.
     *
     * @param userId the owner
     * @param apiKeyId the key
     * @param fiveHours usage in the 5 h window
     * @param oneDay usage in the 1 d window
     * @param sevenDays usage in the 7 d window
     * @param tokensMinute tokens in the current minute
     */
    public KeyUsage {
        Objects.requireNonNull(fiveHours, "fiveHours");
        Objects.requireNonNull(oneDay, "oneDay");
        Objects.requireNonNull(sevenDays, "sevenDays");
        Objects.requireNonNull(tokensMinute, "tokensMinute");
    }

    /**
     * Spend windows only, no tokens counted yet.
     *
     * @param userId the owner
     * @param apiKeyId the key
     * @param fiveHours usage in the 5 h window
     * @param oneDay usage in the 1 d window
     * @param sevenDays usage in the 7 d window
     */
    public KeyUsage(long userId, long apiKeyId, WindowUsage fiveHours, WindowUsage oneDay, WindowUsage sevenDays) {
        this(userId, apiKeyId, fiveHours, oneDay, sevenDays, WindowUsage.EMPTY);
    }

    /**
     * @param userId the owner
     * @param apiKeyId the key
     * @return usage with no windows started
     */
    public static KeyUsage empty(long userId, long apiKeyId) {
        return new KeyUsage(userId, apiKeyId, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    /**
     * The tokens an event counts against its key's tokens-per-minute limit: input + output tokens (saturating).
     *
     * @param event the event
     * @return the tokens
     */
    public static long countedTokens(UsageEvent event) {
        long sum = event.tokens().input() + event.tokens().output();
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * @param window the key window
     * @return its usage
     */
    public WindowUsage usage(KeyWindow window) {
        return switch (window) {
            case FIVE_HOURS -> fiveHours;
            case ONE_DAY -> oneDay;
            case SEVEN_DAYS -> sevenDays;
        };
    }

    /**
     * Adds a cost to all three windows, resetting expired ones.
     *
     * @param cost nano-units, not negative
     * @param now the current instant
     * @return the new usage
     */
    public KeyUsage addUsage(long cost, Instant now) {
        return addUsage(cost, 0, now);
    }

    /**
     * Adds a cost to the three spend windows and tokens to the minute's tokens, resetting expired windows (the
     * tokens' window only when {@code tokens > 0}, as every cache and store does).
     *
     * @param cost nano-units, not negative
     * @param tokens input + output tokens, not negative
     * @param now the current instant
     * @return the new usage
     */
    public KeyUsage addUsage(long cost, long tokens, Instant now) {
        return new KeyUsage(userId, apiKeyId,
                fiveHours.add(KeyWindow.FIVE_HOURS.window(), cost, now, ZoneOffset.UTC),
                oneDay.add(KeyWindow.ONE_DAY.window(), cost, now, ZoneOffset.UTC),
                sevenDays.add(KeyWindow.SEVEN_DAYS.window(), cost, now, ZoneOffset.UTC),
                tokens == 0 ? tokensMinute : tokensMinute.add(QuotaWindows.TPM, tokens, now, ZoneOffset.UTC));
    }
}
