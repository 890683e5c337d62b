package dev.quota.core;

/**
 * A stored row (or cache entry) of one user cannot be decoded: an unknown status, a malformed value. It is
 * that user's problem, not an outage: the gate answers {@link DenyReason#BILLING_DATA_INVALID} for that user,
 * logs the row, and does not count it as a backend failure (the circuit breaker stays closed for everyone).
 */
public class InvalidDataException extends QuotaException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be decoded, naming the row (table and key)
     */
    public InvalidDataException(String message) {
        super(message);
    }

    /**
     * @param message what could not be decoded, naming the row (table and key)
     * @param cause the decoding failure
     */
    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
