package dev.quota.upstream.http;

import dev.quota.core.BackendUnavailableException;

/**
 * The provider answered 200 with a body that is not the usage JSON this fetcher understands (not JSON, not an
 * object, a window that is not an object, a utilization that is not a number {@code >= 0}, a reset time that is not
 * a string, or a body over {@link HttpUpstreamUsageFetcher#MAX_BODY_BYTES}). A
 * {@link BackendUnavailableException}: the account has no usable answer now.
 */
public class MalformedUpstreamResponseException extends BackendUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the account
     */
    public MalformedUpstreamResponseException(String message) {
        super(message);
    }
}
