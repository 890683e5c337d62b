package dev.quota.jdbc.report;

import dev.quota.core.Money;
import java.util.Objects;

/**
 * Requests, tokens and charged cost in a window, e.g. an upstream account's usage since its 5-hour window
 * started or today.
 *
 * @param requests number of requests
 * @param tokens all tokens (input, output, cache creation, cache read)
 * @param cost the charged ({@code actual}) cost
 */
public record WindowStats(long requests, long tokens, Money cost) {

    /**
     * Rejects a null cost.
     *
     * @param requests number of requests
     * @param tokens all tokens (input, output, cache creation, cache read)
     * @param cost the charged ({@code actual}) cost
     */
    public WindowStats {
        Objects.requireNonNull(cost, "cost");
    }
}
