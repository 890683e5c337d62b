/**
 * Quota's SQL adapter: the source-of-truth stores, the usage ledger and its reports on PostgreSQL,
 * MySQL/MariaDB or H2 through JDBI. Start at {@link dev.quota.jdbc.JdbcQuota}; install the tables with
 * {@link dev.quota.jdbc.SchemaInstaller} (or run the Flyway-style scripts under {@code db/quota/<dialect>/});
 * put a {@link dev.quota.core.BatchingUsageWriter} between the request path and the ledger.
 *
 * <p>Money is stored as {@code BIGINT} nano-units and instants as {@code BIGINT} epoch milliseconds, always
 * bound from the caller's clock. Every store reports database failures as
 * {@link dev.quota.core.BackendUnavailableException}.
 */
package dev.quota.jdbc;
