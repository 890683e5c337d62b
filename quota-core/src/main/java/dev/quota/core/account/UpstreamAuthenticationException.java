package dev.quota.core.account;

import dev.quota.core.QuotaException;

/**
 * The provider refused the upstream account's credentials (HTTP 401 or 403): the account's token expired, was
 * revoked or lacks the scope. Not an outage: retrying will not help until the account is re-authorised.
 */
public class UpstreamAuthenticationException extends QuotaException {

    private static final long serialVersionUID = 1L;

    /** The account whose credentials were refused. */
    private final long accountId;
    /** The provider's HTTP status, 0 when no request was sent. */
    private final int status;

    /**
     * @param accountId the account whose credentials were refused
     * @param status the provider's HTTP status (401 or 403), or 0 when no request was sent (no token)
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

    /** @return the provider's HTTP status, or 0 when no request was sent (no token) */
    public int status() {
        return status;
    }
}
