/**
 * Micrometer metrics of a Quota {@link dev.quota.core.BillingGate}: {@link dev.quota.micrometer.QuotaMetrics}.
 */
package dev.quota.micrometer;
