package dev.quota.core;

/**
 * What a check does when its data cannot be read. A cache failure always falls back to the store first
 * (for the platform quota as a one-shot store check without refilling the cache); the policy decides what
 * happens when the store (or, for RPM, the counter) fails too.
 *
 * <p>Defaults: {@link #FAIL_CLOSED} for {@link CheckKind#BALANCE} and {@link CheckKind#SUBSCRIPTION}
 * (answering {@code BILLING_SERVICE_ERROR} and feeding the circuit breaker), {@link #FAIL_OPEN} for
 * {@link CheckKind#PLATFORM_QUOTA}, {@link CheckKind#API_KEY} and {@link CheckKind#RPM}.
 */
public enum FailurePolicy {
    /** Skip the check: the request is not denied by it. */
    FAIL_OPEN,
    /** Deny with {@code BILLING_SERVICE_ERROR} (503). */
    FAIL_CLOSED
}
