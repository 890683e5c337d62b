package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import java.util.Objects;

/**
 * What a reservation's hold counts against: each {@link LimitLine} that caps spend names the scope whose other
 * live holds it adds to the usage ({@link Holds#of}). A hold is recorded with the scope keys of its request
 * ({@link #keyOf}), and the holds of other requests are summed per scope by key.
 */
public enum HoldScope {
    /** The user's balance (balance mode). */
    BALANCE,
    /** The user's subscription to the request's group (subscription mode, a capped group). */
    SUBSCRIPTION,
    /** The user × platform quota (balance mode with a platform). */
    PLATFORM,
    /** The API key's spend windows. */
    KEY;

    private static final HoldScope[] ALL = values();

    /** @return every scope, in declaration order (a shared array: do not change it) */
    static HoldScope[] all() {
        return ALL;
    }

    /**
     * The key a hold of {@code request} is recorded under in this scope, or {@code null} when the request's
     * hold does not count against this scope: {@code b} for the balance, {@code s:<group>} for a capped
     * subscription ({@link Holds#holdsSubscription}), {@code p:<platform>}, {@code k:<api key id>}. The Redis
     * adapter stores these keys in its hold records, so they never change.
     *
     * @param request the request
     * @return the scope key, or {@code null}
     */
    public String keyOf(CheckRequest request) {
        Objects.requireNonNull(request, "request");
        boolean sub = request.subscriptionMode();
        return switch (this) {
            case BALANCE -> sub ? null : "b";
            case SUBSCRIPTION -> Holds.holdsSubscription(request) ? "s:" + request.groupId() : null;
            case PLATFORM -> !sub && request.platform() != null ? "p:" + request.platform() : null;
            case KEY -> request.apiKeyId() != null ? "k:" + request.apiKeyId() : null;
        };
    }
}
