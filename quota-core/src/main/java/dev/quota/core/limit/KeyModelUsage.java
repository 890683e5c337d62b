package dev.quota.core.limit;

import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Cost usage (nano-units) of one API key on one model in its rolling 5 h / 1 d / 7 d windows: what a model cap
 * ({@link dev.quota.core.CheckRequest#modelCap()}) is compared with. The usage of the key's events whose model is
 * exactly {@link #model()}.
 *
 * @param userId the user owning the key
 * @param apiKeyId the key
 * @param model the model
 * @param fiveHours usage in the 5 h window
 * @param oneDay usage in the 1 d window
 * @param sevenDays usage in the 7 d window
 */
public record KeyModelUsage(long userId, long apiKeyId, String model, WindowUsage fiveHours, WindowUsage oneDay,
                            WindowUsage sevenDays) {

    /**
     * Rejects nulls.
     *
     * @param userId the owner
     * @param apiKeyId the key
     * @param model the model
     * @param fiveHours usage in the 5 h window
     * @param oneDay usage in the 1 d window
     * @param sevenDays usage in the 7 d window
     */
    public KeyModelUsage {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fiveHours, "fiveHours");
        Objects.requireNonNull(oneDay, "oneDay");
        Objects.requireNonNull(sevenDays, "sevenDays");
    }

    /**
     * @param userId the owner
     * @param apiKeyId the key
     * @param model the model
     * @return usage with no windows started
     */
    public static KeyModelUsage empty(long userId, long apiKeyId, String model) {
        return new KeyModelUsage(userId, apiKeyId, model, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
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
     * Adds a cost to all three windows, resetting expired ones (as the key's own windows).
     *
     * @param cost nano-units, not negative
     * @param now the current instant
     * @return the new usage
     */
    public KeyModelUsage addUsage(long cost, Instant now) {
        return new KeyModelUsage(userId, apiKeyId, model,
                fiveHours.add(KeyWindow.FIVE_HOURS.window(), cost, now, ZoneOffset.UTC),
                oneDay.add(KeyWindow.ONE_DAY.window(), cost, now, ZoneOffset.UTC),
                sevenDays.add(KeyWindow.SEVEN_DAYS.window(), cost, now, ZoneOffset.UTC));
    }
}
