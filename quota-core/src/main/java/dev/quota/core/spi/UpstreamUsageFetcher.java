package dev.quota.core.spi;

import dev.quota.core.account.UpstreamAuthenticationException;
import dev.quota.core.account.UpstreamRateLimitedException;
import dev.quota.core.BackendUnavailableException;
import java.util.List;

/**
 * Fetches an upstream account's usage windows from its provider (an HTTP call in production, e.g.
 * {@code HttpUpstreamUsageFetcher} in {@code quota-upstream-http}). {@code AccountUsageService} calls it at most
 * once per account per cache period. Thread-safe.
 *
 * <p>Outcomes other than a list of windows are exceptions: the provider refused the account's credentials →
 * {@link UpstreamAuthenticationException}; the provider rate-limited the call →
 * {@link UpstreamRateLimitedException} (a {@link BackendUnavailableException} carrying the retry delay); the
 * provider failed, timed out, was unreachable or answered something unparsable →
 * {@link BackendUnavailableException}.
 */
public interface UpstreamUsageFetcher {

    /**
     * @param accountId the upstream account
     * @return the account's windows in the provider's order (see {@link UpstreamUsage} for the names),
     *     possibly empty
     * @throws UpstreamAuthenticationException when the provider refused the account's credentials
     * @throws UpstreamRateLimitedException when the provider rate-limited the call
     * @throws BackendUnavailableException when the provider failed, timed out or answered something unparsable
     */
    List<UpstreamUsage> fetch(long accountId);
}
