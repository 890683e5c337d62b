package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import java.time.Instant;

/**
 * Selects usage events: every non-null criterion must match; the time range is half-open
 * {@code [from, to)}. Build with {@link #all()} and the {@code with*} methods.
 *
 * @param userId the user, or {@code null}
 * @param apiKeyId the API key, or {@code null}
 * @param accountId the upstream account, or {@code null}
 * @param groupId the group, or {@code null}
 * @param model the model, or {@code null}
 * @param platform the platform, or {@code null}
 * @param from inclusive lower bound, or {@code null}
 * @param to exclusive upper bound, or {@code null}
 */
public record UsageFilter(Long userId, Long apiKeyId, Long accountId, Long groupId, String model, String platform,
                          Instant from, Instant to) {

    /**
     * Validates the range.
     *
     * @param userId the user, or {@code null}
     * @param apiKeyId the API key, or {@code null}
     * @param accountId the upstream account, or {@code null}
     * @param groupId the group, or {@code null}
     * @param model the model, or {@code null}
     * @param platform the platform, or {@code null}
     * @param from inclusive lower bound, or {@code null}
     * @param to exclusive upper bound, or {@code null}
     */
    public UsageFilter {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from: " + from + " > " + to);
        }
    }

    /** @return a filter matching everything */
    public static UsageFilter all() {
        return new UsageFilter(null, null, null, null, null, null, null, null);
    }

    /**
     * @param id user
     * @return a copy filtering by user
     */
    public UsageFilter withUser(long id) {
        return new UsageFilter(id, apiKeyId, accountId, groupId, model, platform, from, to);
    }

    /**
     * @param id API key
     * @return a copy filtering by API key
     */
    public UsageFilter withApiKey(long id) {
        return new UsageFilter(userId, id, accountId, groupId, model, platform, from, to);
    }

    /**
     * @param id account
     * @return a copy filtering by account
     */
    public UsageFilter withAccount(long id) {
        return new UsageFilter(userId, apiKeyId, id, groupId, model, platform, from, to);
    }

    /**
     * @param id group
     * @return a copy filtering by group
     */
    public UsageFilter withGroup(long id) {
        return new UsageFilter(userId, apiKeyId, accountId, id, model, platform, from, to);
    }

    /**
     * @param m model
     * @return a copy filtering by model
     */
    public UsageFilter withModel(String m) {
        return new UsageFilter(userId, apiKeyId, accountId, groupId, m, platform, from, to);
    }

    /**
     * @param p platform
     * @return a copy filtering by platform
     */
    public UsageFilter withPlatform(String p) {
        return new UsageFilter(userId, apiKeyId, accountId, groupId, model, p, from, to);
    }

    /**
     * @param fromInclusive lower bound
     * @param toExclusive upper bound
     * @return a copy filtering by time
     */
    public UsageFilter between(Instant fromInclusive, Instant toExclusive) {
        return new UsageFilter(userId, apiKeyId, accountId, groupId, model, platform, fromInclusive, toExclusive);
    }

    /**
     * @param e an event
     * @return true when the event matches every criterion
     */
    public boolean matches(UsageEvent e) {
        return (userId == null || userId == e.userId())
                && (apiKeyId == null || apiKeyId.equals(e.apiKeyId()))
                && (accountId == null || accountId.equals(e.accountId()))
                && (groupId == null || groupId.equals(e.groupId()))
                && (model == null || model.equals(e.model()))
                && (platform == null || platform.equals(e.platform()))
                && (from == null || !e.occurredAt().isBefore(from))
                && (to == null || e.occurredAt().isBefore(to));
    }
}
