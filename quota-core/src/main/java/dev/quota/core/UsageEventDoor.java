package dev.quota.core;

import static dev.quota.core.UsageEvent.MAX_ERROR_MESSAGE_LENGTH;
import static dev.quota.core.UsageEvent.MAX_MODEL_LENGTH;
import static dev.quota.core.UsageEvent.MAX_OCCURRED_AT;
import static dev.quota.core.UsageEvent.MAX_REQUEST_ID_LENGTH;
import static dev.quota.core.UsageEvent.MAX_TOKENS;
import static dev.quota.core.UsageEvent.MIN_OCCURRED_AT;

import dev.quota.core.limit.Platforms;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The door of {@link UsageEvent}: the checks its constructor runs, by group of fields, each throwing an
 * {@link IllegalArgumentException} that names the first bad field. What passes is stored unchanged by
 * PostgreSQL, MariaDB and H2 (see the class comment of {@link UsageEvent}).
 */
final class UsageEventDoor {

    /** Set while {@link #unchecked} runs: the event's constructor then skips its checks. */
    private static final ThreadLocal<Boolean> UNCHECKED = new ThreadLocal<>();

    private UsageEventDoor() {
    }

    /**
     * Test hook: builds an event WITHOUT the door checks, so that tests can hand a store an event that only the
     * database refuses (a poison event). Package-private: production code cannot reach it.
     *
     * @param build builds the event (e.g. {@code () -> builder(...).model("x\0").build()})
     * @return the unchecked event
     */
    static UsageEvent unchecked(Supplier<UsageEvent> build) {
        UNCHECKED.set(Boolean.TRUE);
        try {
            return build.get();
        } finally {
            UNCHECKED.remove();
        }
    }

    /** @return true unless {@link #unchecked} is building an event */
    static boolean checking() {
        return UNCHECKED.get() == null;
    }

    /** Who: the request id, the user, the optional key / account / group, the billing mode. */
    static void who(String requestId, long userId, Long apiKeyId, Long accountId, Long groupId,
                    BillingMode billingMode) {
        requireId(requestId, "requestId");
        positive(userId, "userId");
        optionalPositive(apiKeyId, "apiKeyId");
        optionalPositive(accountId, "accountId");
        optionalPositive(groupId, "groupId");
        if (billingMode == null) {
            throw new IllegalArgumentException("billingMode must not be null");
        }
        if (billingMode == BillingMode.SUBSCRIPTION && groupId == null) {
            throw new IllegalArgumentException("groupId is required in subscription mode");
        }
    }

    /** What: the platform, the model and the error message, as texts every database keeps. */
    static void what(String platform, String model, String errorMessage) {
        if (platform != null) {
            Platforms.requireValid(platform, "platform");
        }
        if (model != null && (model.isBlank() || model.length() > MAX_MODEL_LENGTH)) {
            throw new IllegalArgumentException("model must be null or 1 to " + MAX_MODEL_LENGTH
                    + " non-blank characters");
        }
        if (model != null) {
            text(model, "model", MAX_MODEL_LENGTH, false);
        }
        if (errorMessage != null) {
            text(errorMessage, "errorMessage", MAX_ERROR_MESSAGE_LENGTH, true);
        }
    }

    /** The four token counts, each from 0 to {@link UsageEvent#MAX_TOKENS}. */
    static void tokens(long input, long output, long cacheCreation, long cacheRead) {
        tokens(input, "inputTokens");
        tokens(output, "outputTokens");
        tokens(cacheCreation, "cacheCreationTokens");
        tokens(cacheRead, "cacheReadTokens");
    }

    /** The six costs, each present and not negative. */
    static void costs(Money total, Money actual, Money input, Money output, Money cacheCreation, Money cacheRead) {
        cost(total, "totalCost");
        cost(actual, "actualCost");
        cost(input, "inputCost");
        cost(output, "outputCost");
        cost(cacheCreation, "cacheCreationCost");
        cost(cacheRead, "cacheReadCost");
    }

    /** How it went and when: the HTTP status, the response time, the attempts, the instant. */
    static void outcome(int httpStatus, long responseTimeMs, int attempts, Instant occurredAt) {
        if (httpStatus < 100 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be between 100 and 599: " + httpStatus);
        }
        if (responseTimeMs < 0) {
            throw new IllegalArgumentException("responseTimeMs must not be negative: " + responseTimeMs);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        if (occurredAt == null) {
            throw new IllegalArgumentException("occurredAt must not be null");
        }
        if (occurredAt.isBefore(MIN_OCCURRED_AT) || occurredAt.isAfter(MAX_OCCURRED_AT)) {
            throw new IllegalArgumentException("occurredAt must be between " + MIN_OCCURRED_AT + " and "
                    + MAX_OCCURRED_AT + ": " + occurredAt);
        }
    }

    /** See {@link UsageEvent#requireId}. */
    static String requireId(String id, String field) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        text(id, field, MAX_REQUEST_ID_LENGTH, false);
        return id;
    }

    /**
     * The door's text rule, what PostgreSQL, MariaDB and H2 all store unchanged: at most {@code max} UTF-16 units
     * (so at most that many characters in any column), no control character (NUL is refused by PostgreSQL; the
     * others are rejected as caller bugs) except, where {@code lineBreaks}, tab, LF and CR (all three databases
     * keep them), and no unpaired surrogate (a driver would encode it as '?', silently altering the text).
     */
    private static void text(String s, String field, int max, boolean lineBreaks) {
        if (s.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters: " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && !(lineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                throw new IllegalArgumentException(String.format("%s must not contain control characters: U+%04X at"
                        + " index %d", field, (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format("%s must not contain an unpaired surrogate: U+%04X"
                        + " at index %d", field, (int) c, i));
            }
        }
    }

    private static void positive(long id, String field) {
        if (id <= 0) {
            throw new IllegalArgumentException(field + " must be positive: " + id);
        }
    }

    private static void optionalPositive(Long id, String field) {
        if (id != null) {
            positive(id, field);
        }
    }

    private static void tokens(long n, String field) {
        if (n < 0 || n > MAX_TOKENS) {
            throw new IllegalArgumentException(field + " must be between 0 and " + MAX_TOKENS + ": " + n);
        }
    }

    private static void cost(Money m, String field) {
        if (m == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (m.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative: " + m);
        }
    }
}
