package dev.quota.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One request's usage as a gateway reports it after the upstream answered: who (user, key, account,
 * group), what (platform, model, tokens), what it cost, how it went (status, error, response time,
 * upstream attempts) and when. The {@code requestId} makes recording idempotent: a replay changes nothing.
 *
 * <p>Instants are kept at millisecond precision by every store and cache (a sub-millisecond part of
 * {@code occurredAt} does not survive a round trip). Costs are exact {@link Money}; the amount charged to balances and counted in windows is
 * {@link #actualCost()} (after group rate multipliers), while {@link #totalCost()} is the list price.
 * Immutable and thread-safe; build with {@link #builder(String, long)}, which validates everything in
 * {@link Builder#build()} so that a bad event is rejected before anything changes.
 *
 * <p><b>The door.</b> The canonical constructor (so the builder too) rejects, with an
 * {@link IllegalArgumentException} naming the field, every value that PostgreSQL, MariaDB or H2 would refuse or
 * silently alter: control characters (NUL included; tab, LF and CR are allowed in the error message only, which
 * all three store unchanged), unpaired surrogates, texts longer than their columns, instants outside 1970 to
 * 9999, negative numbers (every non-negative long fits its BIGINT column). An event that passes is stored by every supported database unchanged.
 *
 * @param requestId the request id, unique per user (1 to 128 characters, no control character, no unpaired
 *                  surrogate)
 * @param userId the user, positive
 * @param apiKeyId the API key, or {@code null}
 * @param accountId the upstream account, or {@code null}
 * @param groupId the group, or {@code null}
 * @param billingMode balance or subscription
 * @param platform the platform (e.g. {@code "anthropic"}), or {@code null}
 * @param model the model name, or {@code null}
 * @param inputTokens input tokens, not negative
 * @param outputTokens output tokens, not negative
 * @param cacheCreationTokens cache-creation input tokens, not negative
 * @param cacheReadTokens cache-read input tokens, not negative
 * @param totalCost list-price cost, not negative
 * @param actualCost charged cost, not negative
 * @param inputCost input part of the cost, not negative
 * @param outputCost output part of the cost, not negative
 * @param cacheCreationCost cache-creation part of the cost, not negative
 * @param cacheReadCost cache-read part of the cost, not negative
 * @param httpStatus the HTTP status answered (100 to 599)
 * @param errorMessage the error message (at most 4096 characters; tab, LF and CR are the only control characters
 *                     allowed), or {@code null}
 * @param responseTimeMs response time in milliseconds, not negative
 * @param attempts upstream attempts made, at least 1
 * @param occurredAt when the request happened, from 1970 to the end of 9999 (UTC)
 */
public record UsageEvent(String requestId, long userId, Long apiKeyId, Long accountId, Long groupId,
                         BillingMode billingMode, String platform, String model,
                         long inputTokens, long outputTokens, long cacheCreationTokens, long cacheReadTokens,
                         Money totalCost, Money actualCost, Money inputCost, Money outputCost,
                         Money cacheCreationCost, Money cacheReadCost,
                         int httpStatus, String errorMessage, long responseTimeMs, int attempts,
                         Instant occurredAt) {

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

    /** Set while {@link #unchecked} runs: the canonical constructor then skips its checks. */
    private static final ThreadLocal<Boolean> UNCHECKED = new ThreadLocal<>();

    /**
     * Test hook: builds an event WITHOUT the door checks, so that tests can hand a store an event that only the
     * database refuses (a poison event). Package-private: production code cannot reach it.
     *
     * @param build builds the event (e.g. {@code () -> builder(...).model("x\0").build()})
     * @return the unchecked event
     */
    static UsageEvent unchecked(java.util.function.Supplier<UsageEvent> build) {
        UNCHECKED.set(Boolean.TRUE);
        try {
            return build.get();
        } finally {
            UNCHECKED.remove();
        }
    }

    /**
     * Validates every field; see {@link Builder#build()}.
     *
     * @param requestId the unique request id
     * @param userId the user
     * @param apiKeyId the API key, or {@code null}
     * @param accountId the upstream account, or {@code null}
     * @param groupId the group, or {@code null}
     * @param billingMode balance or subscription
     * @param platform the platform (e.g. {@code "anthropic"}), or {@code null}
     * @param model the model name, or {@code null}
     * @param inputTokens input tokens, not negative
     * @param outputTokens output tokens, not negative
     * @param cacheCreationTokens cache-creation input tokens, not negative
     * @param cacheReadTokens cache-read input tokens, not negative
     * @param totalCost list-price cost, not negative
     * @param actualCost charged cost, not negative
     * @param inputCost input part of the cost, not negative
     * @param outputCost output part of the cost, not negative
     * @param cacheCreationCost cache-creation part of the cost, not negative
     * @param cacheReadCost cache-read part of the cost, not negative
     * @param httpStatus the HTTP status answered (100 to 599)
     * @param errorMessage the error message (at most 4096 characters), or {@code null}
     * @param responseTimeMs response time in milliseconds, not negative
     * @param attempts upstream attempts made, at least 1
     * @param occurredAt when the request happened
     */
    public UsageEvent {
        if (UNCHECKED.get() == null) { // null unless a test builds a poison event (see #unchecked)
            UsageEventDoor.who(requestId, userId, apiKeyId, accountId, groupId, billingMode);
            UsageEventDoor.what(platform, model, errorMessage);
            UsageEventDoor.tokens(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens);
            UsageEventDoor.costs(totalCost, actualCost, inputCost, outputCost, cacheCreationCost, cacheReadCost);
            UsageEventDoor.outcome(httpStatus, responseTimeMs, attempts, occurredAt);
        }
    }

    /**
     * @param requestId the unique request id
     * @param userId the user
     * @return a builder; costs default to zero, status to 200, attempts to 1
     */
    public static Builder builder(String requestId, long userId) {
        return new Builder(requestId, userId);
    }

    /** @return true when the request failed: status 400 or above, or an error message */
    public boolean isError() {
        return httpStatus >= 400 || errorMessage != null;
    }

    /** @return the sum of all four token counts */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheCreationTokens + cacheReadTokens;
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
        private long inputTokens;
        private long outputTokens;
        private long cacheCreationTokens;
        private long cacheReadTokens;
        private Money totalCost = Money.ZERO;
        private Money actualCost;
        private Money inputCost = Money.ZERO;
        private Money outputCost = Money.ZERO;
        private Money cacheCreationCost = Money.ZERO;
        private Money cacheReadCost = Money.ZERO;
        private int httpStatus = 200;
        private String errorMessage;
        private long responseTimeMs;
        private int attempts = 1;
        private Instant occurredAt;

        private Builder(String requestId, long userId) {
            this.requestId = requestId;
            this.userId = userId;
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
            this.inputTokens = input;
            this.outputTokens = output;
            this.cacheCreationTokens = cacheCreation;
            this.cacheReadTokens = cacheRead;
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
            this.httpStatus = status;
            return this;
        }

        /**
         * @param message the error message
         * @return this
         */
        public Builder errorMessage(String message) {
            this.errorMessage = message;
            return this;
        }

        /**
         * @param ms response time in milliseconds
         * @return this
         */
        public Builder responseTimeMs(long ms) {
            this.responseTimeMs = ms;
            return this;
        }

        /**
         * @param attempts upstream attempts
         * @return this
         */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
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
            return new UsageEvent(requestId, userId, apiKeyId, accountId, groupId, billingMode, platform, model,
                    inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
                    totalCost, actualCost == null ? totalCost : actualCost, inputCost, outputCost,
                    cacheCreationCost, cacheReadCost, httpStatus, errorMessage, responseTimeMs, attempts, occurredAt);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsageEvent e && e.requestId.equals(requestId) && e.userId == userId
                && Objects.equals(e.apiKeyId, apiKeyId) && Objects.equals(e.accountId, accountId)
                && Objects.equals(e.groupId, groupId) && e.billingMode == billingMode
                && Objects.equals(e.platform, platform) && Objects.equals(e.model, model)
                && e.inputTokens == inputTokens && e.outputTokens == outputTokens
                && e.cacheCreationTokens == cacheCreationTokens && e.cacheReadTokens == cacheReadTokens
                && e.totalCost.equals(totalCost) && e.actualCost.equals(actualCost)
                && e.inputCost.equals(inputCost) && e.outputCost.equals(outputCost)
                && e.cacheCreationCost.equals(cacheCreationCost) && e.cacheReadCost.equals(cacheReadCost)
                && e.httpStatus == httpStatus && Objects.equals(e.errorMessage, errorMessage)
                && e.responseTimeMs == responseTimeMs && e.attempts == attempts
                && e.occurredAt.toEpochMilli() == occurredAt.toEpochMilli();
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, userId, occurredAt.toEpochMilli());
    }
}
