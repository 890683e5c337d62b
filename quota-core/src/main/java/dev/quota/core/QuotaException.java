package dev.quota.core;

/**
 * Root of Quota's own unchecked exceptions. Expected outcomes such as a denied request are values
 * ({@link Decision}), never exceptions; bad arguments raise {@link IllegalArgumentException}.
 */
public class QuotaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     */
    public QuotaException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public QuotaException(String message, Throwable cause) {
        super(message, cause);
    }
}
