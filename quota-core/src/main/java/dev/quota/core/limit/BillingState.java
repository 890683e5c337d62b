package dev.quota.core.limit;

import dev.quota.core.Money;

/**
 * Everything the eligibility check reads about a request's subject, loaded from the cache or the store.
 * Fields a request does not need may be {@code null}.
 *
 * @param balance the user's balance (balance mode), or {@code null} when not loaded
 * @param subscription the subscription (subscription mode), or {@code null} when the user has none
 * @param platformQuota the user × platform record, or {@code null} when there is none yet (no usage)
 * @param platformLimits the limits that apply on the platform (the record's own, else the defaults), or
 *                       {@code null} for unlimited
 * @param keyUsage the API key's window usage, or {@code null} when there is none yet
 * @param keyModelUsage the API key's window usage on the request's model, or {@code null} when there is none yet
 */
public record BillingState(Money balance, SubscriptionState subscription, PlatformQuotaRecord platformQuota,
                           PeriodLimits platformLimits, KeyUsage keyUsage, KeyModelUsage keyModelUsage) {

    /**
     * A state without model usage.
     *
     * @param balance the user's balance
     * @param subscription the subscription
     * @param platformQuota the user × platform record
     * @param platformLimits the limits that apply on the platform
     * @param keyUsage the API key's window usage
     */
    public BillingState(Money balance, SubscriptionState subscription, PlatformQuotaRecord platformQuota,
                        PeriodLimits platformLimits, KeyUsage keyUsage) {
        this(balance, subscription, platformQuota, platformLimits, keyUsage, null);
    }
}
