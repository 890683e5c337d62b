package dev.quota.core.limit;

import dev.quota.core.Money;

/** What a limit counts. */
public enum Measure {
    /** Money, in nano-units. */
    COST,
    /** Requests, a count. */
    REQUESTS,
    /** Tokens, a count. */
    TOKENS
}
