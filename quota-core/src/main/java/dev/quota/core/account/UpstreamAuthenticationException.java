package dev.quota.core.account;

import dev.quota.core.decision.QuotaException;

/**
 * The provider refused the upstream account's credentials (HTTP 401 or 403): the account's token expired, was
 * revoked or lacks the scope. Not an outage: retrying will not help until the account is re-authorised.
 */
public class UpstreamAuthenticationException extends QuotaException {

    private static final long serialVersionUID = 1L;

    private final long accountId;
    private final int status;

    /**
     * @param accountId the account whose credentials were refused
     * @param status the provider's HTTP status (401 or 403)
     * @param message what the provider said, for the log
     */
    public UpstreamAuthenticationException(long accountId, int status, String message) {
        super(message);
        this.accountId = accountId;
        this.status = status;
    }

    /** @return the account whose credentials were refused */
    public long accountId() {
        return accountId;
    }

    /** @return the provider's HTTP status */
    public int status() {
        return status;
    }
}
