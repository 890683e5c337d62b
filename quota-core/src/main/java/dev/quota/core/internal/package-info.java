/**
 * Implementation detail of Quota's services. <b>Unsupported:</b> anything in this package may change or
 * disappear in any release; use the public API in {@code dev.quota.core} instead.
 *
 * <p>The gate, by job: {@code DefaultBillingGate} validates arguments and owns the lifecycle; {@code CheckFlow}
 * runs the check order ({@link dev.quota.core.limit.EligibilityEvaluator#evaluate(dev.quota.core.CheckRequest,
 * java.time.Instant, dev.quota.core.limit.EligibilityEvaluator.CheckSteps)}) with the breaker permit
 * ({@code BreakerPermit}), the RPM overrides ({@code RpmOverrides}), the store reader ({@code StateLoader} over
 * {@code StoreReads}, {@code SingleFlight} and {@code UnsettledUsage}; it decides refills) and RPM counting
 * ({@code RpmStep}); {@code Recorder} is the record path; {@code Reserver} reserve / settle / release / renew
 * ({@code LocalHolds} when the cache cannot hold); {@code GateAdmin} and {@code GateHealth} the admin and health
 * calls. Each has its unit test in quota-core; the gate's behaviour is specified by quota-testkit's gate tests.
 */
package dev.quota.core.internal;
