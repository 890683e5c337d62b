package dev.quota.core;

/** The kinds of checks a {@link BillingGate} runs, each with its own {@link FailurePolicy}. */
public enum CheckKind {
    /** The user's balance (balance mode). */
    BALANCE,
    /** The user's subscription (subscription mode). */
    SUBSCRIPTION,
    /** The user × platform quota (balance mode). */
    PLATFORM_QUOTA,
    /** The API key's 5 h / 1 d / 7 d spend windows. */
    API_KEY,
    /** Requests per minute. */
    RPM
}
