package dev.quota.core.internal;

import dev.quota.core.GateConfig;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import java.util.Set;

/**
 * The gate's argument checks shared by check, record and reservations: known platforms and the maximum charge.
 * Misuse throws {@link IllegalArgumentException}. Thread-safe.
 */
final class GateArguments {

    private final Set<String> platforms;
    private final Money maxCharge;

    /** @param config the gate's configuration (platforms, maximum charge) */
    GateArguments(GateConfig config) {
        this.platforms = config.platforms();
        this.maxCharge = config.maxCharge();
    }

    /**
     * @param platform a platform name, or null for none
     * @throws IllegalArgumentException when platforms are restricted and this one is not among them
     */
    void requireKnownPlatform(String platform) {
        if (platform != null && !platforms.isEmpty() && !platforms.contains(platform)) {
            throw new IllegalArgumentException("platform '" + platform + "' is not configured; known: " + platforms);
        }
    }

    /**
     * @param event a usage event to record or settle
     * @throws IllegalArgumentException when it is null, charges more than the maximum or names an unknown platform
     */
    void requireValid(UsageEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        if (event.costs().actual().compareTo(maxCharge) > 0) {
            throw new IllegalArgumentException("actualCost " + event.costs().actual() + " exceeds maxCharge " + maxCharge);
        }
        if (event.costs().total().compareTo(maxCharge) > 0) {
            throw new IllegalArgumentException("totalCost " + event.costs().total() + " exceeds maxCharge " + maxCharge);
        }
        requireKnownPlatform(event.platform());
    }

    /**
     * @param estimate the estimate of a reservation
     * @throws IllegalArgumentException when it is null, negative or above the maximum charge
     */
    void requireValidEstimate(Money estimate) {
        if (estimate == null || estimate.isNegative()) {
            throw new IllegalArgumentException("estimate must be zero or positive: " + estimate);
        }
        if (estimate.compareTo(maxCharge) > 0) {
            throw new IllegalArgumentException("estimate " + estimate + " exceeds maxCharge " + maxCharge);
        }
    }

    /**
     * @param argument an argument
     * @param name its name in the message
     * @throws IllegalArgumentException when it is null
     */
    static void requireNonNull(Object argument, String name) {
        if (argument == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
