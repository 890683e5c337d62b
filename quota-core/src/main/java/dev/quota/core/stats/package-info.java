/**
 * Derived usage data written from the usage ledger: {@link dev.quota.core.stats.StatsAggregator} (daily
 * statistics per business day, global and per user, the all-time summary with a live "today", backfill) and
 * {@link dev.quota.core.stats.HourlyRollups} (hourly per-user × model roll-ups, rebuilt from the ledger).
 *
 * <p>Both are meant for scheduled jobs (nightly, hourly), not for the request path: they read the ledger
 * through {@link dev.quota.core.spi.UsageLog} and write {@link dev.quota.core.spi.StatisticsStore} and
 * {@link dev.quota.core.spi.RollupStore}. What they write is derived data: it can always be recomputed from the
 * ledger, and every operation is safe to re-run.
 */
package dev.quota.core.stats;
