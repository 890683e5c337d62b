/**
 * {@link dev.quota.upstream.http.HttpUpstreamUsageFetcher}: the provider's usage endpoint over
 * {@code java.net.http.HttpClient}, as a {@link dev.quota.core.spi.UpstreamUsageFetcher} for
 * {@link dev.quota.core.account.AccountUsageService}. No dependency beyond quota-core; the JSON answer is read by a
 * small strict reader of its own.
 */
package dev.quota.upstream.http;
