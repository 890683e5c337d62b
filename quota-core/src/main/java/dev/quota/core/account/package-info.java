/**
 * Upstream account usage: {@link dev.quota.core.account.AccountUsageService} answers, per upstream account the
 * gateway sends traffic through, how much of the provider's 5-hour and 7-day allowance is used, when it resets,
 * and what the gateway itself sent through the account in that window and today.
 *
 * <p>The account is described by the gateway ({@link dev.quota.core.account.UpstreamAccount}: its
 * {@link dev.quota.core.account.AccountKind} and session window); the provider's figures come through the
 * {@link dev.quota.core.spi.UpstreamUsageFetcher} port, the gateway's own figures from the usage ledger through
 * {@link dev.quota.core.spi.UsageLog}. Answers are immutable values ({@link dev.quota.core.account.AccountUsage},
 * {@link dev.quota.core.account.UsageWindow}); an account kind that cannot report usage is a
 * {@link dev.quota.core.account.UsageNotSupportedException}.
 */
package dev.quota.core.account;
