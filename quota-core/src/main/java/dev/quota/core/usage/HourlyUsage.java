package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import dev.quota.core.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The hourly roll-up of one user's usage of one model: requests, tokens and charged cost in the hour that
 * starts at {@code hour} (an hour boundary in the business zone). Roll-ups are derived from the usage log and
 * can be rebuilt from it.
 *
 * @param hour the hour's start
 * @param userId the user
 * @param model the model ({@code ""} when the event had none)
 * @param requests requests in the hour
 * @param tokens all tokens in the hour
 * @param cost charged cost in the hour
 */
public record HourlyUsage(Instant hour, long userId, String model, long requests, long tokens, Money cost) {

    /**
     * Rejects nulls and negatives.
     *
     * @param hour the hour's start
     * @param userId the user
     * @param model the model ({@code ""} when the event had none)
     * @param requests requests in the hour
     * @param tokens all tokens in the hour
     * @param cost charged cost in the hour
     */
    public HourlyUsage {
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cost, "cost");
        if (requests < 0 || tokens < 0 || cost.isNegative()) {
            throw new IllegalArgumentException("roll-up counts must not be negative");
        }
    }

    /**
     * @param e an event
     * @param zone the business zone
     * @return the roll-up of that one event
     */
    public static HourlyUsage of(UsageEvent e, ZoneId zone) {
        return new HourlyUsage(hourOf(e.occurredAt(), zone), e.userId(), e.model() == null ? "" : e.model(),
                1, e.tokens().total(), e.costs().actual());
    }

    /**
     * @param at an instant
     * @param zone the business zone
     * @return the start of the hour containing {@code at} in {@code zone}
     */
    public static Instant hourOf(Instant at, ZoneId zone) {
        return at.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    /**
     * @param o the roll-up of the same hour, user and model
     * @return the sum
     */
    public HourlyUsage plus(HourlyUsage o) {
        if (!o.hour.equals(hour) || o.userId != userId || !o.model.equals(model)) {
            throw new IllegalArgumentException("can only add roll-ups of the same hour, user and model");
        }
        return new HourlyUsage(hour, userId, model, Math.addExact(requests, o.requests),
                Math.addExact(tokens, o.tokens), cost.plus(o.cost));
    }
}
