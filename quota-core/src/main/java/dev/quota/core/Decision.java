package dev.quota.core;

import dev.quota.core.limit.Measure;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to "may this request go ahead?": allowed, or denied with a {@link DenyReason}, plus where known
 * the window's reset time, the {@code Retry-After} duration and the usage and limit that decided it.
 *
 * <p>An expected outcome is a value, never an exception. Immutable and thread-safe.
 *
 * @param allowed whether the request may proceed
 * @param reason the deny reason, {@code null} when allowed
 * @param resetsAt when the deciding window resets, or {@code null} when unknown or not applicable
 * @param retryAfter how long a client should wait, or {@code null} when unknown or not applicable
 * @param measure what {@code used} and {@code limit} count, or {@code null}
 * @param used usage that decided the denial (nano-units or a count), or -1 when not applicable
 * @param limit the limit that decided the denial, or -1 when not applicable
 */
public record Decision(boolean allowed, DenyReason reason, Instant resetsAt, Duration retryAfter,
                       Measure measure, long used, long limit) {

    private static final Decision ALLOW = new Decision(true, null, null, null, null, -1, -1);

    /**
     * Checks consistency.
     *
     * @param allowed whether the request may proceed
     * @param reason why
     * @param resetsAt when the window resets
     * @param retryAfter how long a client should wait, or {@code null} when unknown or not applicable
     * @param measure what is counted
     * @param used the usage in the live window
     * @param limit the cap
     */
    public Decision {
        if (allowed == (reason != null)) {
            throw new IllegalArgumentException("an allowed decision has no reason; a denial has one");
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
    }

    /** @return the allowing decision */
    public static Decision allow() {
        return ALLOW;
    }

    /**
     * A denial without window information.
     *
     * @param reason why
     * @return the decision
     */
    public static Decision deny(DenyReason reason) {
        return new Decision(false, Objects.requireNonNull(reason, "reason"), null, null, null, -1, -1);
    }

    /**
     * A denial by a window limit.
     *
     * @param reason why
     * @param now the instant of the decision
     * @param resetsAt when the window resets
     * @param measure what is counted
     * @param used the usage in the live window
     * @param limit the cap
     * @return the decision, with {@code retryAfter = resetsAt - now} (rounded up to whole seconds)
     */
    public static Decision deny(DenyReason reason, Instant now, Instant resetsAt, Measure measure, long used, long limit) {
        Duration wait = Duration.between(now, resetsAt);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return new Decision(false, Objects.requireNonNull(reason, "reason"), resetsAt, wait, measure, used, limit);
    }

    /** @return true when denied */
    public boolean denied() {
        return !allowed;
    }

    /** @return the reason, empty when allowed */
    public Optional<DenyReason> denyReason() {
        return Optional.ofNullable(reason);
    }

    /** @return the HTTP status to answer with: 200 when allowed, else the reason's status */
    public int httpStatus() {
        return allowed ? 200 : reason.httpStatus();
    }

    /**
     * The {@code Retry-After} header value in whole seconds, rounded up so that a client never retries before
     * the reset.
     *
     * @return the seconds, or empty when there is nothing to wait for
     */
    public Optional<Long> retryAfterSeconds() {
        if (retryAfter == null) {
            return Optional.empty();
        }
        long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Optional.of(s);
    }
}
