package dev.quota.core;

/**
 * The token counts of one request ({@link UsageEvent#tokens()}), each from 0 to {@link UsageEvent#MAX_TOKENS} in a built event.
 *
 * @param input input tokens
 * @param output output tokens
 * @param cacheCreation cache-creation input tokens
 * @param cacheRead cache-read input tokens
 */
public record UsageTokens(long input, long output, long cacheCreation, long cacheRead) {
    /** @return the sum of all four counts */
    public long total() {
        return input + output + cacheCreation + cacheRead;
    }
}
