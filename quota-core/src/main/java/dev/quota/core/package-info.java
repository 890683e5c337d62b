/**
 * Quota's public services: {@link dev.quota.core.BillingGate} (check, record, reserve / settle / release)
 * and its configuration ({@link dev.quota.core.BillingGateBuilder}, which hands the gate an immutable
 * {@link dev.quota.core.GateConfig}; {@link dev.quota.core.CheckKind}, {@link dev.quota.core.FailurePolicy},
 * {@link dev.quota.core.QuotaListener}).
 */
package dev.quota.core;
