package dev.quota.core.account;

import java.util.Locale;

/**
 * The status of an upstream session window as the provider reports it on proxied responses (Anthropic's
 * unified rate-limit status header), and the utilization {@link AccountUsageService} estimates from it for
 * {@link AccountKind#SETUP_TOKEN} accounts.
 */
public enum SessionStatus {

    /** Requests are allowed; estimated at 0 %. */
    ALLOWED(0.0),
    /** Requests are allowed but the allowance is nearly used; estimated at 80 %. */
    ALLOWED_WARNING(80.0),
    /** Requests are rejected until the window resets; estimated at 100 %. */
    REJECTED(100.0),
    /** No status known (or one this version does not recognise); estimated at 0 %. */
    UNKNOWN(0.0);

    private final double estimatedUtilizationPercent;

    SessionStatus(double estimatedUtilizationPercent) {
        this.estimatedUtilizationPercent = estimatedUtilizationPercent;
    }

    /** @return the utilization in percent the service reports for a setup-token account in this status */
    public double estimatedUtilizationPercent() {
        return estimatedUtilizationPercent;
    }

    /**
     * Maps the provider's status text ({@code allowed}, {@code allowed_warning}, {@code rejected}, any case).
     *
     * @param text the status text, or {@code null}
     * @return the status; {@link #UNKNOWN} for {@code null} or an unrecognised text
     */
    public static SessionStatus fromText(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "allowed" -> ALLOWED;
            case "allowed_warning" -> ALLOWED_WARNING;
            case "rejected" -> REJECTED;
            default -> UNKNOWN;
        };
    }
}
