/**
 * The standard Quota deployment in one builder, {@link dev.quota.stack.QuotaStack}: Redis as the cache in front of
 * SQL as the source of truth, on one clock and business zone. A gateway that uses it imports from two packages:
 * {@code dev.quota.core} for every request and this one for the wiring.
 */
package dev.quota.stack;
