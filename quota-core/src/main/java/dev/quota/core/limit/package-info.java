/** Limits (unset / 0 / cap), the state they are checked against, and the pure eligibility evaluator. */
package dev.quota.core.limit;
