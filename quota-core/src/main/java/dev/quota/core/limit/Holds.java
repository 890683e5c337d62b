package dev.quota.core.limit;

import dev.quota.core.CheckRequest;

/**
 * Amounts (nano-units) held by other live reservations in each scope a request touches, see
 * {@link EligibilityEvaluator#evaluateHold}.
 *
 * @param balance held against the user's balance (balance mode)
 * @param subscription held against the user's subscription to the group (subscription mode)
 * @param platform held against the user × platform quota (balance mode)
 * @param key held against the API key's windows
 */
public record Holds(long balance, long subscription, long platform, long key) {

    /** Nothing held. */
    public static final Holds NONE = new Holds(0, 0, 0, 0);

    /**
     * Rejects negatives.
     *
     * @param balance held against the user's balance (balance mode)
     * @param subscription held against the user's subscription to the group (subscription mode)
     * @param platform held against the user × platform quota (balance mode)
     * @param key held against the API key's windows
     */
    public Holds {
        if (balance < 0 || subscription < 0 || platform < 0 || key < 0) {
            throw new IllegalArgumentException("held amounts must not be negative");
        }
    }

    /**
     * @param amounts the amount held in each scope, indexed by {@link HoldScope#ordinal()}
     * @return the holds
     */
    public static Holds of(long[] amounts) {
        return new Holds(amounts[HoldScope.BALANCE.ordinal()], amounts[HoldScope.SUBSCRIPTION.ordinal()],
                amounts[HoldScope.PLATFORM.ordinal()], amounts[HoldScope.KEY.ordinal()]);
    }

    /**
     * @param scope a scope
     * @return the amount held in it
     */
    public long of(HoldScope scope) {
        return switch (scope) {
            case BALANCE -> balance;
            case SUBSCRIPTION -> subscription;
            case PLATFORM -> platform;
            case KEY -> key;
        };
    }

    /**
     * Whether a hold taken for this request holds in the subscription scope: only in subscription mode and
     * only when the group caps at least one of its daily, weekly and monthly windows. An unlimited
     * subscription takes no hold there (there is no cap to protect; its reservations are still admitted and
     * may hold in the API key scope). The Redis adapter passes the scopes this decides to its script.
     *
     * @param request the request
     * @return true when its hold counts against the user's subscription to the group
     */
    public static boolean holdsSubscription(CheckRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        return request.subscriptionMode() && !request.groupLimits().isUnlimited();
    }
}
