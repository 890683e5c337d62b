package dev.quota.core;

/**
 * A storage backend (the cache, usually Redis, or a store, usually SQL) failed or timed out. Every port
 * documents that it reports infrastructure failures with this exception, so that the services' failure
 * policy (fall back, fail open, fail closed) can apply.
 */
public class BackendUnavailableException extends QuotaException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the client library's exception
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed
     */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
