/**
 * Value types returned by {@link dev.quota.jdbc.UsageReports}: trend points, per-model and per-account
 * statistics, dashboard figures. All are immutable records; money is exact
 * {@link dev.quota.core.Money}, sums reuse {@link dev.quota.core.usage.UsageTotals}.
 */
package dev.quota.jdbc.report;
