package dev.quota.core;

import dev.quota.core.decision.Decision;
import java.time.Instant;
import java.util.Objects;

/**
 * The result of {@link BillingGate#reserve}: the decision and, when admitted, the hold to settle or
 * release. A reservation that is allowed but not {@link #held()} was admitted by a plain check because
 * the cache could not take a hold (or the gate is in simple mode); settling it records usage as usual.
 *
 * @param decision the decision
 * @param holdId the hold id (also when not held, so that settle and release stay uniform)
 * @param userId the user owning the hold
 * @param expiresAt when the hold lapses on its own
 * @param held true when an estimate is actually held in the cache
 */
public record Reservation(Decision decision, String holdId, long userId, Instant expiresAt, boolean held) {

    /**
     * Rejects nulls.
     *
     * @param decision the decision
     * @param holdId the hold id (also when not held, so that settle and release stay uniform)
     * @param userId the user owning the hold
     * @param expiresAt when the hold lapses on its own
     * @param held true when an estimate is actually held in the cache
     */
    public Reservation {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (held && decision.denied()) {
            throw new IllegalArgumentException("a denied reservation holds nothing");
        }
    }

    /** @return true when the request may proceed */
    public boolean allowed() {
        return decision.allowed();
    }
}
