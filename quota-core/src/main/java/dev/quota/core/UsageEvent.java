package dev.quota.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One request's usage as a gateway reports it after the upstream answered: who (user, key, account, group), what
 * (platform, model, tokens), what it cost, how it went (status, error, response time, upstream attempts) and when. The
 * {@code requestId} makes recording idempotent: a replay changes nothing.
 *
 * <p>Instants are kept at millisecond precision by every store and cache (a sub-millisecond part of {@code occurredAt}
 * does not survive a round trip). Costs are exact {@link Money}; the amount charged to balances and counted in windows
 * is {@code costs().actual()} (after group rate multipliers), while {@code costs().total()} is the list price.
 * Immutable and thread-safe; the {@link #builder(String, long) builder} is the only way to make one, and it validates
 * everything in {@link Builder#build()} so that a bad event is rejected before anything changes. Tokens, costs and
 * outcome come grouped as {@link UsageTokens}, {@link UsageCosts} and {@link UsageOutcome}.
 *
 * <p><b>The door.</b> {@link Builder#build()} rejects, with an {@link IllegalArgumentException} naming the field, every
 * value that PostgreSQL, MariaDB or H2 would refuse or silently alter: control characters (NUL included; tab, LF and CR
 * are allowed in the error message only, which all three store unchanged), unpaired surrogates, texts longer than their
 * columns, instants outside 1970 to 9999, negative numbers (every non-negative long fits its BIGINT column). An event
 * that passes is stored by every supported database unchanged.
 */
public final class UsageEvent {

    /** The longest request id accepted. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;
    /** Upper bound of any token count in one request; more is treated as a bug in the caller. */
    public static final long MAX_TOKENS = 1_000_000_000L;
    /** The longest error message kept; a longer one is a caller bug (truncate it before recording). */
    public static final int MAX_ERROR_MESSAGE_LENGTH = 4096;
    /** The longest model name accepted (its VARCHAR(128) column; counted in UTF-16 units, so never more code points). */
    public static final int MAX_MODEL_LENGTH = 128;
    /** The earliest {@link #occurredAt()} accepted: the epoch (stored as BIGINT epoch milliseconds). */
    public static final Instant MIN_OCCURRED_AT = Instant.EPOCH;
    /** The latest {@link #occurredAt()} accepted: the last millisecond of year 9999 (statistics days are yyyymmdd). */
    public static final Instant MAX_OCCURRED_AT = Instant.parse("9999-12-31T23:59:59.999Z");

    private final String requestId;
    private final long userId;
    private final Long apiKeyId;
    private final Long accountId;
    private final Long groupId;
    private final BillingMode billingMode;
    private final String platform;
    private final String model;
    private final UsageTokens tokens;
    private final UsageCosts costs;
    private final UsageOutcome outcome;
    private final Instant occurredAt;

    private UsageEvent(Builder b) {
        Money actual = b.actualCost == null ? b.totalCost : b.actualCost;
        if (UsageEventDoor.checking()) { // validates every field, unless a test builds a poison event
            UsageEventDoor.who(b.requestId, b.userId, b.apiKeyId, b.accountId, b.groupId, b.billingMode);
            UsageEventDoor.what(b.platform, b.model, b.outcome.errorMessage());
            UsageEventDoor.tokens(b.tokens.input(), b.tokens.output(), b.tokens.cacheCreation(), b.tokens.cacheRead());
            UsageEventDoor.costs(b.totalCost, actual, b.inputCost, b.outputCost, b.cacheCreationCost,
                    b.cacheReadCost);
            UsageEventDoor.outcome(b.outcome.httpStatus(), b.outcome.responseTimeMs(), b.outcome.attempts(),
                    b.occurredAt);
        }
        this.requestId = b.requestId;
        this.userId = b.userId;
        this.apiKeyId = b.apiKeyId;
        this.accountId = b.accountId;
        this.groupId = b.groupId;
        this.billingMode = b.billingMode;
        this.platform = b.platform;
        this.model = b.model;
        this.tokens = b.tokens;
        this.costs = new UsageCosts(b.totalCost, actual, b.inputCost, b.outputCost, b.cacheCreationCost,
                b.cacheReadCost);
        this.outcome = b.outcome;
        this.occurredAt = b.occurredAt;
    }

    /**
     * @param requestId the unique request id
     * @param userId the user
     * @return a builder; costs default to zero, status to 200, attempts to 1
     */
    public static Builder builder(String requestId, long userId) {
        return new Builder(requestId, userId);
    }

    /** @return a builder holding this event's values, to build a changed copy (validated again) */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the request id, unique per user (1 to 128 characters, no control character, no unpaired surrogate) */
    public String requestId() {
        return requestId;
    }

    /** @return the user, positive */
    public long userId() {
        return userId;
    }

    /** @return the API key, or {@code null} */
    public Long apiKeyId() {
        return apiKeyId;
    }

    /** @return the upstream account, or {@code null} */
    public Long accountId() {
        return accountId;
    }

    /** @return the group, or {@code null} (required in subscription mode) */
    public Long groupId() {
        return groupId;
    }

    /** @return balance, subscription or none (logged only) */
    public BillingMode billingMode() {
        return billingMode;
    }

    /** @return the platform (e.g. {@code "anthropic"}), or {@code null} */
    public String platform() {
        return platform;
    }

    /** @return the model name (at most 128 characters), or {@code null} */
    public String model() {
        return model;
    }

    /** @return the token counts */
    public UsageTokens tokens() {
        return tokens;
    }

    /** @return the costs; {@link UsageCosts#actual()} is what is charged */
    public UsageCosts costs() {
        return costs;
    }

    /** @return how the request went: status, error, response time, attempts */
    public UsageOutcome outcome() {
        return outcome;
    }

    /** @return when the request happened, from 1970 to the end of 9999 (UTC) */
    public Instant occurredAt() {
        return occurredAt;
    }

    /**
     * Checks an id by the rule of request ids, the rule every id the stores keep follows (request ids, balance
     * operation ids): not blank, at most 128 characters, no control character, no unpaired surrogate.
     *
     * @param id the id
     * @param field the argument's name, for the message
     * @return {@code id}
     * @throws IllegalArgumentException if {@code id} breaks the rule
     */
    public static String requireId(String id, String field) {
        return UsageEventDoor.requireId(id, field);
    }

    /** Builder for {@link UsageEvent}. Not thread-safe. */
    public static final class Builder {
        private final String requestId;
        private final long userId;
        private Long apiKeyId;
        private Long accountId;
        private Long groupId;
        private BillingMode billingMode = BillingMode.BALANCE;
        private String platform;
        private String model;
        private UsageTokens tokens = new UsageTokens(0, 0, 0, 0);
        private Money totalCost = Money.ZERO;
        private Money actualCost;
        private Money inputCost = Money.ZERO;
        private Money outputCost = Money.ZERO;
        private Money cacheCreationCost = Money.ZERO;
        private Money cacheReadCost = Money.ZERO;
        private UsageOutcome outcome = new UsageOutcome(200, null, 0, 1);
        private Instant occurredAt;

        private Builder(String requestId, long userId) {
            this.requestId = requestId;
            this.userId = userId;
        }

        private Builder(UsageEvent e) {
            this(e.requestId, e.userId);
            tokens = e.tokens;
            outcome = e.outcome;
            ids(e.apiKeyId, e.accountId, e.groupId).billingMode(e.billingMode).platform(e.platform).model(e.model).occurredAt(e.occurredAt)
                    .totalCost(e.costs.total()).actualCost(e.costs.actual())
                    .costParts(e.costs.input(), e.costs.output(), e.costs.cacheCreation(), e.costs.cacheRead());
        }

        /**
         * @param id the API key
         * @return this
         */
        public Builder apiKeyId(long id) {
            this.apiKeyId = id;
            return this;
        }

        /**
         * @param id the upstream account
         * @return this
         */
        public Builder accountId(long id) {
            this.accountId = id;
            return this;
        }

        /**
         * @param id the group
         * @return this
         */
        public Builder groupId(long id) {
            this.groupId = id;
            return this;
        }

        /**
         * @param apiKey the API key, or {@code null} for none
         * @param account the upstream account, or {@code null} for none
         * @param group the group, or {@code null} for none
         * @return this
         */
        public Builder ids(Long apiKey, Long account, Long group) {
            this.apiKeyId = apiKey;
            this.accountId = account;
            this.groupId = group;
            return this;
        }

        /**
         * @param mode balance or subscription (default balance)
         * @return this
         */
        public Builder billingMode(BillingMode mode) {
            this.billingMode = mode;
            return this;
        }

        /**
         * @param platform the platform
         * @return this
         */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /**
         * @param model the model
         * @return this
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * @param input input tokens
         * @param output output tokens
         * @param cacheCreation cache-creation tokens
         * @param cacheRead cache-read tokens
         * @return this
         */
        public Builder tokens(long input, long output, long cacheCreation, long cacheRead) {
            this.tokens = new UsageTokens(input, output, cacheCreation, cacheRead);
            return this;
        }

        /**
         * Sets the list-price total; the charged cost defaults to it unless {@link #actualCost} is set.
         *
         * @param cost the total
         * @return this
         */
        public Builder totalCost(Money cost) {
            this.totalCost = cost;
            return this;
        }

        /**
         * @param cost the charged cost
         * @return this
         */
        public Builder actualCost(Money cost) {
            this.actualCost = cost;
            return this;
        }

        /**
         * @param input input part
         * @param output output part
         * @param cacheCreation cache-creation part
         * @param cacheRead cache-read part
         * @return this
         */
        public Builder costParts(Money input, Money output, Money cacheCreation, Money cacheRead) {
            this.inputCost = input;
            this.outputCost = output;
            this.cacheCreationCost = cacheCreation;
            this.cacheReadCost = cacheRead;
            return this;
        }

        /**
         * @param status the HTTP status
         * @return this
         */
        public Builder httpStatus(int status) {
            return outcome(status, outcome.errorMessage(), outcome.responseTimeMs(), outcome.attempts());
        }

        /**
         * @param message the error message
         * @return this
         */
        public Builder errorMessage(String message) {
            return outcome(outcome.httpStatus(), message, outcome.responseTimeMs(), outcome.attempts());
        }

        /**
         * @param ms response time in milliseconds
         * @return this
         */
        public Builder responseTimeMs(long ms) {
            return outcome(outcome.httpStatus(), outcome.errorMessage(), ms, outcome.attempts());
        }

        /**
         * @param attempts upstream attempts
         * @return this
         */
        public Builder attempts(int attempts) {
            return outcome(outcome.httpStatus(), outcome.errorMessage(), outcome.responseTimeMs(), attempts);
        }

        private Builder outcome(int status, String message, long ms, int tries) {
            this.outcome = new UsageOutcome(status, message, ms, tries);
            return this;
        }

        /**
         * @param at when it happened
         * @return this
         */
        public Builder occurredAt(Instant at) {
            this.occurredAt = at;
            return this;
        }

        /**
         * @return the event
         * @throws IllegalArgumentException naming the first invalid field
         */
        public UsageEvent build() {
            return new UsageEvent(this);
        }
    }

    /** Equal when every field is, instants compared at millisecond precision (what the stores keep). */
    @Override
    public boolean equals(Object o) {
        return o instanceof UsageEvent e && e.requestId.equals(requestId) && e.userId == userId
                && Objects.equals(e.apiKeyId, apiKeyId) && Objects.equals(e.accountId, accountId)
                && Objects.equals(e.groupId, groupId) && e.billingMode == billingMode
                && Objects.equals(e.platform, platform) && Objects.equals(e.model, model)
                && e.tokens.equals(tokens) && e.costs.equals(costs) && e.outcome.equals(outcome)
                && e.occurredAt.toEpochMilli() == occurredAt.toEpochMilli();
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, userId, occurredAt.toEpochMilli());
    }

    @Override
    public String toString() {
        return "UsageEvent[requestId=" + requestId + ", userId=" + userId + ", apiKeyId=" + apiKeyId
                + ", accountId=" + accountId + ", groupId=" + groupId + ", billingMode=" + billingMode
                + ", platform=" + platform + ", model=" + model + ", tokens=" + tokens + ", costs=" + costs
                + ", outcome=" + outcome + ", occurredAt=" + occurredAt + "]";
    }
}
