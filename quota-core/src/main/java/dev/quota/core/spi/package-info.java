/**
 * The ports adapters implement: the hot-path {@link dev.quota.core.spi.BillingCache} and
 * {@link dev.quota.core.spi.RpmCounter}, the source-of-truth stores, the usage ledger, roll-ups,
 * statistics and the upstream usage fetcher. Every port reports infrastructure failures as
 * {@link dev.quota.core.BackendUnavailableException}; quota-testkit holds an in-memory
 * implementation and a contract test suite for each.
 */
package dev.quota.core.spi;
