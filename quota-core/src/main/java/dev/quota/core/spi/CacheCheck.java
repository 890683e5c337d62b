package dev.quota.core.spi;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.LimitPlan;
import dev.quota.core.limit.RpmPlan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * The input of {@link BillingCache#check}: the request, the RPM counters to apply when everything else
 * passes, and the time (from the service's clock, never the cache server's) in the business zone.
 *
 * @param request the request
 * @param rpmPlan the RPM counters and caps
 * @param now the current instant, millisecond precision
 * @param zone the business zone
 */
public record CacheCheck(CheckRequest request, RpmPlan rpmPlan, Instant now, ZoneId zone) {

    /**
     * Rejects nulls.
     *
     * @param request the request
     * @param rpmPlan the RPM counters and caps
     * @param now the current instant, millisecond precision
     * @param zone the business zone
     */
    public CacheCheck {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(rpmPlan, "rpmPlan");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * The entries this check reads ({@link LimitPlan#entrySet()}): the subscription in subscription mode, else
     * the balance and (when a platform is given) the platform quota; the key usage when the request has an API
     * key with limits.
     *
     * @return the needed entries
     */
    public Set<CacheEntryKind> neededEntries() {
        return plan().entrySet();
    }

    /** @return the limit lines this check evaluates ({@link LimitPlan#of}) */
    public LimitPlan plan() {
        return LimitPlan.of(request);
    }

    /**
     * Whether the request is doomed by what a cache read for it, so that its RPM counters are not counted (RPM
     * last: only a request every other limit admits is counted): an entry is missing, or a billing line denies
     * ({@link EligibilityEvaluator#evaluateBilling}). The one rule by which every cache decides whether a check
     * counts.
     *
     * @param view what the cache read for this check
     * @return true when the RPM counters must not be counted (or must be taken back)
     */
    public boolean doomedBy(CheckView view) {
        return !view.complete()
                || EligibilityEvaluator.inZone(zone).evaluateBilling(request, view.toState(), now).denied();
    }
}
