package dev.quota.core;

import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.Platforms;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a gateway knows about one incoming request when it asks "may this request go ahead?": the user,
 * the API key, the group and its limits, whether the user holds a subscription to the group, and the
 * target platform. Limits travel with the request because gateways already hold them in their
 * authentication cache; usage and balances are Quota's business.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(long)}, which validates eagerly.
 */
public final class CheckRequest {

    private final long userId;
    private final String authSource;
    private final Limit userRpmLimit;
    private final Long apiKeyId;
    private final KeyLimits keyLimits;
    private final Limit keyTokensPerMinute;
    private final Long groupId;
    private final boolean subscriptionGroup;
    private final PeriodLimits groupLimits;
    private final Limit groupRpmLimit;
    private final boolean subscribed;
    private final String platform;
    private final Long groupRpmOverride;
    private final boolean groupRpmOverrideKnown;

    private CheckRequest(Builder b) {
        this.userId = b.userId;
        this.authSource = b.authSource;
        this.userRpmLimit = b.userRpmLimit;
        this.apiKeyId = b.apiKeyId;
        this.keyLimits = b.keyLimits;
        this.keyTokensPerMinute = b.keyTokensPerMinute;
        this.groupId = b.groupId;
        this.subscriptionGroup = b.subscriptionGroup;
        this.groupLimits = b.groupLimits;
        this.groupRpmLimit = b.groupRpmLimit;
        this.subscribed = b.subscribed;
        this.platform = b.platform;
        this.groupRpmOverride = b.groupRpmOverride;
        this.groupRpmOverrideKnown = b.groupRpmOverrideKnown;
    }

    /**
     * @param userId the user's id, positive
     * @return a builder
     * @throws IllegalArgumentException if {@code userId} is not positive
     */
    public static Builder builder(long userId) {
        return new Builder(userId);
    }

    /** @return the user's id */
    public long userId() {
        return userId;
    }

    /** @return the user's auth source (selects platform-quota defaults), or {@code null} */
    public String authSource() {
        return authSource;
    }

    /** @return the user's global requests-per-minute limit; unset by default */
    public Limit userRpmLimit() {
        return userRpmLimit;
    }

    /** @return the API key id, or {@code null} when the request has none */
    public Long apiKeyId() {
        return apiKeyId;
    }

    /** @return the API key's spend limits; unlimited by default */
    public KeyLimits keyLimits() {
        return keyLimits;
    }

    /**
     * @return the API key's tokens-per-minute limit (input + output tokens recorded in the current minute); unset
     *         by default
     */
    public Limit keyTokensPerMinute() {
        return keyTokensPerMinute;
    }

    /** @return the group id, or {@code null} */
    public Long groupId() {
        return groupId;
    }

    /** @return true when the group is a subscription group */
    public boolean subscriptionGroup() {
        return subscriptionGroup;
    }

    /** @return the subscription group's daily/weekly/monthly cost limits; unlimited by default */
    public PeriodLimits groupLimits() {
        return groupLimits;
    }

    /** @return the group's requests-per-minute limit; unset by default */
    public Limit groupRpmLimit() {
        return groupRpmLimit;
    }

    /** @return true when the caller holds a subscription to the group */
    public boolean subscribed() {
        return subscribed;
    }

    /** @return the target platform, or {@code null} to skip the user × platform quota */
    public String platform() {
        return platform;
    }

    /**
     * The user × group RPM override when the gateway already knows it: empty when the gateway did not say
     * (the service then looks it up), see {@link #groupRpmOverrideKnown()}.
     *
     * @return the override, 0 meaning exempt at group level
     */
    public OptionalLong groupRpmOverride() {
        return groupRpmOverride == null ? OptionalLong.empty() : OptionalLong.of(groupRpmOverride);
    }

    /** @return true when the gateway stated the override (possibly "none"), so no lookup is needed */
    public boolean groupRpmOverrideKnown() {
        return groupRpmOverrideKnown;
    }

    /** @return true in subscription mode: a subscription group and the caller holds a subscription */
    public boolean subscriptionMode() {
        return groupId != null && subscriptionGroup && subscribed;
    }

    @Override
    public String toString() {
        return "CheckRequest{user=" + userId + ", apiKey=" + apiKeyId + ", group=" + groupId
                + (subscriptionMode() ? " (subscription)" : "") + ", platform=" + platform + '}';
    }

    /** Builder for {@link CheckRequest}; validates each argument as it is set. Not thread-safe. */
    public static final class Builder {
        private final long userId;
        private String authSource;
        private Limit userRpmLimit = Limit.unlimited();
        private Long apiKeyId;
        private KeyLimits keyLimits = KeyLimits.UNLIMITED;
        private Limit keyTokensPerMinute = Limit.unlimited();
        private Long groupId;
        private boolean subscriptionGroup;
        private PeriodLimits groupLimits = PeriodLimits.UNLIMITED;
        private Limit groupRpmLimit = Limit.unlimited();
        private boolean subscribed;
        private String platform;
        private Long groupRpmOverride;
        private boolean groupRpmOverrideKnown;

        private Builder(long userId) {
            this.userId = requirePositive(userId, "userId");
        }

        /**
         * @param authSource the auth source (email, oidc, github, ...); not blank
         * @return this
         */
        public Builder authSource(String authSource) {
            this.authSource = requireText(authSource, "authSource");
            return this;
        }

        /**
         * @param limit the user's global RPM limit
         * @return this
         */
        public Builder userRpmLimit(Limit limit) {
            this.userRpmLimit = Objects.requireNonNull(limit, "userRpmLimit");
            return this;
        }

        /**
         * @param apiKeyId the key's id, positive
         * @param limits the key's spend limits
         * @return this
         */
        public Builder apiKey(long apiKeyId, KeyLimits limits) {
            this.apiKeyId = requirePositive(apiKeyId, "apiKeyId");
            this.keyLimits = Objects.requireNonNull(limits, "keyLimits");
            this.keyTokensPerMinute = Limit.unlimited();
            return this;
        }

        /**
         * An API key with spend limits and a tokens-per-minute limit: the input + output tokens of the key's
         * usage recorded in the current minute (epoch-aligned, as RPM); a request is denied with
         * {@link DenyReason#API_KEY_TPM_EXCEEDED} once they reach the cap.
         *
         * @param apiKeyId the key's id, positive
         * @param limits the key's spend limits
         * @param tokensPerMinute the key's tokens-per-minute limit
         * @return this
         */
        public Builder apiKey(long apiKeyId, KeyLimits limits, Limit tokensPerMinute) {
            apiKey(apiKeyId, limits);
            this.keyTokensPerMinute = Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
            return this;
        }

        /**
         * A standard (balance-billed) group.
         *
         * @param groupId the group's id, positive
         * @param rpmLimit the group's RPM limit
         * @return this
         */
        public Builder group(long groupId, Limit rpmLimit) {
            this.groupId = requirePositive(groupId, "groupId");
            this.subscriptionGroup = false;
            this.groupLimits = PeriodLimits.UNLIMITED;
            this.groupRpmLimit = Objects.requireNonNull(rpmLimit, "groupRpmLimit");
            return this;
        }

        /**
         * A subscription group with its usage limits.
         *
         * @param groupId the group's id, positive
         * @param limits daily/weekly/monthly cost limits
         * @param rpmLimit the group's RPM limit
         * @return this
         */
        public Builder subscriptionGroup(long groupId, PeriodLimits limits, Limit rpmLimit) {
            this.groupId = requirePositive(groupId, "groupId");
            this.subscriptionGroup = true;
            this.groupLimits = Objects.requireNonNull(limits, "groupLimits");
            this.groupRpmLimit = Objects.requireNonNull(rpmLimit, "groupRpmLimit");
            return this;
        }

        /**
         * @param subscribed whether the caller holds a subscription to the group
         * @return this
         */
        public Builder subscribed(boolean subscribed) {
            this.subscribed = subscribed;
            return this;
        }

        /**
         * @param platform the target platform, see {@link Platforms}
         * @return this
         */
        public Builder platform(String platform) {
            this.platform = Platforms.requireValid(platform, "platform");
            return this;
        }

        /**
         * States the user × group RPM override: it replaces the group's RPM limit; 0 exempts the user at
         * group level (the user's global limit still applies).
         *
         * @param override the override, not negative
         * @return this
         */
        public Builder groupRpmOverride(long override) {
            if (override < 0) {
                throw new IllegalArgumentException("groupRpmOverride must not be negative: " + override);
            }
            this.groupRpmOverride = override;
            this.groupRpmOverrideKnown = true;
            return this;
        }

        /**
         * States that the user has no RPM override in this group, so no lookup is needed.
         *
         * @return this
         */
        public Builder noGroupRpmOverride() {
            this.groupRpmOverride = null;
            this.groupRpmOverrideKnown = true;
            return this;
        }

        /** @return the request */
        public CheckRequest build() {
            if (subscribed && groupId == null) {
                throw new IllegalArgumentException("subscribed requires a group");
            }
            return new CheckRequest(this);
        }

        private static long requirePositive(long id, String field) {
            if (id <= 0) {
                throw new IllegalArgumentException(field + " must be positive: " + id);
            }
            return id;
        }

        private static String requireText(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }
    }
}
