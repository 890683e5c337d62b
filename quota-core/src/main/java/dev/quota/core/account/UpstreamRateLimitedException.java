package dev.quota.core.account;

import dev.quota.core.BackendUnavailableException;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider rate-limited the usage call (HTTP 429). A {@link BackendUnavailableException} (transient: the
 * answer will come later) that carries how long the provider asked to wait, when it said.
 */
public class UpstreamRateLimitedException extends BackendUnavailableException {

    private static final long serialVersionUID = 1L;

    /** The account whose usage was asked. */
    private final long accountId;
    /** The delay the provider asked for, or null. */
    private final Duration retryAfter;

    /**
     * @param accountId the account whose usage was asked
     * @param retryAfter how long the provider asked to wait ({@code Retry-After}), or {@code null} when it did not
     *     say or said something unparsable; never negative
     * @param message what happened, for the log
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public UpstreamRateLimitedException(long accountId, Duration retryAfter, String message) {
        super(message);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        this.accountId = accountId;
        this.retryAfter = retryAfter;
    }

    /** @return the account whose usage was asked */
    public long accountId() {
        return accountId;
    }

    /** @return how long the provider asked to wait, empty when it did not say */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
