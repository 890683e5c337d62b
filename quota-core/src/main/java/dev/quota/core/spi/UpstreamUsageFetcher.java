package dev.quota.core.spi;

import dev.quota.core.decision.BackendUnavailableException;
import java.util.List;

/**
 * Fetches an upstream account's usage windows from its provider (an HTTP call in production). Failures
 * are reported as {@link BackendUnavailableException}. Thread-safe.
 */
public interface UpstreamUsageFetcher {

    /**
     * @param accountId the upstream account
     * @return the account's windows, possibly empty
     */
    List<UpstreamUsage> fetch(long accountId);
}
