package dev.quota.core;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of {@link BillingGate#reserve}: the decision and, when admitted, the hold to settle, release or
 * renew. An admitted reservation is always {@link #held()}: in the cache, or, when the cache could not take
 * the hold (it is down, or the user's entries are dirty), {@link #local() locally} in the gate that reserved
 * it. A local hold counts against that gate's later reservations and checks of the user only; other gateway
 * instances do not see it (see {@link BillingGate#reserve}). A reservation that is allowed but not held
 * exists only in simple mode; settling it records usage as usual.
 *
 * @param decision the decision
 * @param holdId the hold id (also when not held, so that settle and release stay uniform)
 * @param userId the user owning the hold
 * @param expiresAt when the hold lapses on its own
 * @param held true when an estimate is actually held (in the cache or locally)
 * @param local true when the estimate is held in this gate's process, not in the cache
 */
public record Reservation(Decision decision, String holdId, long userId, Instant expiresAt, boolean held,
                          boolean local) {

    /**
     * Rejects nulls and contradictions.
     *
     * @param decision the decision
     * @param holdId the hold id (also when not held, so that settle and release stay uniform)
     * @param userId the user owning the hold
     * @param expiresAt when the hold lapses on its own
     * @param held true when an estimate is actually held (in the cache or locally)
     * @param local true when the estimate is held in this gate's process, not in the cache
     */
    public Reservation {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (held && decision.denied()) {
            throw new IllegalArgumentException("a denied reservation holds nothing");
        }
        if (local && !held) {
            throw new IllegalArgumentException("a local reservation is held");
        }
    }

    /**
     * A reservation held in the cache (when {@code held}), or not held at all.
     *
     * @param decision the decision
     * @param holdId the hold id
     * @param userId the user owning the hold
     * @param expiresAt when the hold lapses on its own
     * @param held true when an estimate is held in the cache
     */
    public Reservation(Decision decision, String holdId, long userId, Instant expiresAt, boolean held) {
        this(decision, holdId, userId, expiresAt, held, false);
    }

    /** @return true when the request may proceed */
    public boolean allowed() {
        return decision.allowed();
    }

    /**
     * @param newExpiry the renewed expiry
     * @return this reservation lapsing at {@code newExpiry}
     */
    public Reservation renewedUntil(Instant newExpiry) {
        return new Reservation(decision, holdId, userId, newExpiry, held, local);
    }

    /** @return this reservation holding nothing any more (settled, released or lapsed) */
    public Reservation notHeld() {
        return new Reservation(decision, holdId, userId, expiresAt, false, false);
    }
}
