package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import java.util.Objects;

/**
 * The idempotency key of recorded usage: a request id is unique <em>per user</em>, in the cache and in the
 * store alike. Recording the same request id for two users records two requests; recording it twice for one
 * user records one.
 *
 * @param userId the user
 * @param requestId the gateway's request id
 */
public record UsageKey(long userId, String requestId) {

    /**
     * @param userId the user
     * @param requestId the request id, not null
     */
    public UsageKey {
        Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * @param event an event
     * @return the event's key
     */
    public static UsageKey of(UsageEvent event) {
        return new UsageKey(event.userId(), event.requestId());
    }
}
