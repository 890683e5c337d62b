package dev.quota.core.limit;

/** Lifecycle state of a user's subscription to a group. Only {@link #ACTIVE} admits requests. */
public enum SubscriptionStatus {
    /** In force. */
    ACTIVE,
    /** Past its end date. */
    EXPIRED,
    /** Paused by an operator. */
    SUSPENDED,
    /** Cancelled. */
    CANCELLED
}
