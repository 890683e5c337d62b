package dev.quota.core.spi;

import dev.quota.core.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A reservation: an estimated cost held against every limit a request touches until it is settled,
 * released, or expires on its own at {@code expiresAt} (so a crashed gateway leaks nothing for long).
 *
 * @param holdId the hold's unique id (1 to 128 characters)
 * @param estimate the amount held, not negative
 * @param expiresAt when the hold lapses
 */
public record Hold(String holdId, Money estimate, Instant expiresAt) {

    /**
     * Validates.
     *
     * @param holdId the hold's unique id (1 to 128 characters)
     * @param estimate the amount held, not negative
     * @param expiresAt when the hold lapses
     */
    public Hold {
        if (holdId == null || holdId.isBlank() || holdId.length() > 128) {
            throw new IllegalArgumentException("holdId must be 1 to 128 non-blank characters");
        }
        Objects.requireNonNull(estimate, "estimate");
        if (estimate.isNegative()) {
            throw new IllegalArgumentException("estimate must not be negative: " + estimate);
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
