package dev.quota.core.account;

import dev.quota.core.QuotaException;

/**
 * The account's kind cannot report usage (e.g. an {@link AccountKind#API_KEY} account): the question has no
 * answer, which is different from an empty one. Thrown by {@link AccountUsageService#usage(UpstreamAccount)};
 * nothing is fetched or cached.
 */
public class UsageNotSupportedException extends QuotaException {

    private static final long serialVersionUID = 1L;

    /** The account asked about. */
    private final long accountId;
    /** Its kind. */
    private final AccountKind kind;

    /**
     * @param accountId the account asked about
     * @param kind its kind
     */
    public UsageNotSupportedException(long accountId, AccountKind kind) {
        super("account " + accountId + " of kind " + kind + " cannot report usage");
        this.accountId = accountId;
        this.kind = kind;
    }

    /** @return the account asked about */
    public long accountId() {
        return accountId;
    }

    /** @return its kind */
    public AccountKind kind() {
        return kind;
    }
}
