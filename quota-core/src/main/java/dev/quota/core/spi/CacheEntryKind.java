package dev.quota.core.spi;

/** The cache entries an eligibility check may read. */
public enum CacheEntryKind {
    /** The user's balance. */
    BALANCE,
    /** The user's subscription to the request's group. */
    SUBSCRIPTION,
    /** The user × platform quota entry (usage, window starts and effective limits). */
    PLATFORM_QUOTA,
    /** The API key's 5 h / 1 d / 7 d window usage. */
    KEY_USAGE,
    /** The API key's 5 h / 1 d / 7 d window usage on the request's model. */
    KEY_MODEL_USAGE
}
