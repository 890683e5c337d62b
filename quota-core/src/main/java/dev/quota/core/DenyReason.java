package dev.quota.core;

/**
 * Why a request was denied: a stable machine code, the HTTP status a gateway should answer with, and a
 * human-readable message. Codes and statuses match the production gateways Quota generalises; quota
 * exhaustion is 429 (not 403) because OpenAI-compatible clients back off and honour {@code Retry-After} only
 * on 429.
 */
public enum DenyReason {
    /** Billing backend unavailable (load failure or open circuit breaker). */
    BILLING_SERVICE_ERROR(503, "Billing service temporarily unavailable. Please retry later."),
    /** The user's billing data (a balance, subscription or quota row) cannot be read; an operator must fix it. */
    BILLING_DATA_INVALID(500, "billing data of this user is invalid; contact support"),
    /** The subscription is not active or has expired. */
    SUBSCRIPTION_INVALID(403, "subscription is invalid or expired"),
    /** Subscription daily usage limit reached. */
    DAILY_LIMIT_EXCEEDED(429, "daily usage limit exceeded"),
    /** Subscription weekly usage limit reached. */
    WEEKLY_LIMIT_EXCEEDED(429, "weekly usage limit exceeded"),
    /** Subscription monthly usage limit reached. */
    MONTHLY_LIMIT_EXCEEDED(429, "monthly usage limit exceeded"),
    /** Balance is zero or negative. */
    INSUFFICIENT_BALANCE(403, "insufficient balance"),
    /** User × platform daily quota exhausted. */
    USER_PLATFORM_DAILY_QUOTA_EXHAUSTED(429, "Daily usage quota exhausted for this platform."),
    /** User × platform weekly quota exhausted. */
    USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED(429, "Weekly usage quota exhausted for this platform."),
    /** User × platform monthly (30-day rolling) quota exhausted. */
    USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED(429, "Monthly usage quota exhausted for this platform."),
    /** API key 5-hour spend limit reached. */
    API_KEY_RATE_5H_EXCEEDED(429, "api key 5h spend limit exceeded"),
    /** API key 1-day spend limit reached. */
    API_KEY_RATE_1D_EXCEEDED(429, "api key 1d spend limit exceeded"),
    /** API key 7-day spend limit reached. */
    API_KEY_RATE_7D_EXCEEDED(429, "api key 7d spend limit exceeded"),
    /** API key tokens-per-minute limit reached (input + output tokens recorded in the current minute). */
    API_KEY_TPM_EXCEEDED(429, "api key tokens-per-minute limit exceeded"),
    /** Group (or user × group override) requests-per-minute limit exceeded. */
    GROUP_RPM_EXCEEDED(429, "group requests-per-minute limit exceeded"),
    /** The user's global requests-per-minute limit exceeded. */
    USER_RPM_EXCEEDED(429, "user requests-per-minute limit exceeded");

    private final int httpStatus;
    private final String message;

    DenyReason(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    /** @return the machine code, equal to {@link #name()} */
    public String code() {
        return name();
    }

    /** @return the HTTP status a gateway should answer with (403, 429, 500 or 503) */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return a human-readable message */
    public String message() {
        return message;
    }
}
