package dev.quota.core.internal;

import dev.quota.core.limit.EligibilityEvaluator;

/**
 * What a check and a reservation both go through, built once per gate.
 *
 * @param evaluator the eligibility rules, in the gate's zone
 * @param breaker the billing breaker
 * @param overrides the RPM overrides
 * @param loader the store reader (loads what the cache lacks, decides refills)
 * @param rpm RPM counting when the cache did not count
 */
record CheckParts(EligibilityEvaluator evaluator, BillingBreaker breaker, RpmOverrides overrides, StateLoader loader,
                  RpmStep rpm) {
}
