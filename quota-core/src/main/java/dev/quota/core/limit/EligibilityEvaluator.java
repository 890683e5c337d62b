package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The pure eligibility check: turns a {@link CheckRequest}, the loaded {@link BillingState} and {@code now}
 * into a {@link Decision}, in this order (first denial wins):
 * <ol>
 *   <li>simple mode: allow everything;</li>
 *   <li>circuit breaker open: {@link DenyReason#BILLING_SERVICE_ERROR};</li>
 *   <li>subscription mode: active and not expired, else {@link DenyReason#SUBSCRIPTION_INVALID}; rolling
 *       daily / weekly / monthly usage vs the group's limits; balance mode: balance &gt; 0, else
 *       {@link DenyReason#INSUFFICIENT_BALANCE};</li>
 *   <li>balance mode only: user × platform daily / weekly / monthly quota;</li>
 *   <li>API key 5 h / 1 d / 7 d spend windows;</li>
 *   <li>requests per minute, last, so that doomed requests are not counted.</li>
 * </ol>
 * Expired windows count as zero. Stateless and thread-safe.
 */
public final class EligibilityEvaluator {

    private final ZoneId zone;

    private EligibilityEvaluator(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * @param zone the business time zone of calendar windows
     * @return an evaluator
     */
    public static EligibilityEvaluator inZone(ZoneId zone) {
        return new EligibilityEvaluator(zone);
    }

    /** @return the business time zone */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The inputs of one check, asked for in the check order by {@link #evaluate(CheckRequest, Instant, CheckSteps)},
     * each only once every earlier step passed: the gate implements it with its breaker, cache and stores.
     */
    public interface CheckSteps {
        /** @return true to allow everything (step 1) */
        boolean simpleMode();

        /**
         * Asked once, after {@link #simpleMode()} (step 2): a gate takes its breaker permit here.
         *
         * @return true when the billing circuit breaker rejects the call
         */
        boolean breakerOpen();

        /** @return the RPM counters to apply (see {@link EligibilityEvaluator#rpmPlan}) */
        RpmPlan rpmPlan();

        /**
         * Loads the state steps 3 to 5 evaluate.
         *
         * @param plan the RPM plan (a cache may count it in the same round trip)
         * @return the state, or the decision of a load that failed
         */
        LoadedState load(RpmPlan plan);

        /**
         * Step 6, asked only when every earlier check passed and {@code plan} is not empty.
         *
         * @param plan the RPM plan
         * @return the decision of the RPM counters (see {@link EligibilityEvaluator#evaluateRpm})
         */
        Decision countRpm(RpmPlan plan);
    }

    /**
     * What {@link CheckSteps#load} found: the state, or the decision that ended the check.
     *
     * @param state the loaded state, null when {@code failure} is set
     * @param failure the decision of a failed load, null when the state was loaded
     */
    public record LoadedState(BillingState state, Decision failure) {

        /**
         * @param state the loaded state
         * @return a successful load
         */
        public static LoadedState of(BillingState state) {
            return new LoadedState(Objects.requireNonNull(state, "state"), null);
        }

        /**
         * @param failure the decision of the failed load
         * @return a failed load
         */
        public static LoadedState failed(Decision failure) {
            return new LoadedState(null, Objects.requireNonNull(failure, "failure"));
        }
    }

    /**
     * The whole check in order, the one definition of the check order (the gate runs it with its own
     * {@link CheckSteps}): simple mode, breaker, RPM plan, load, steps 3 to 5, then RPM when a plan applies.
     *
     * @param request the request
     * @param now the current instant
     * @param steps the inputs, asked for in order
     * @return the decision
     */
    public Decision evaluate(CheckRequest request, Instant now, CheckSteps steps) {
        if (steps.simpleMode()) {
            return Decision.allow();
        }
        if (steps.breakerOpen()) {
            return Decision.deny(DenyReason.BILLING_SERVICE_ERROR);
        }
        RpmPlan plan = steps.rpmPlan();
        LoadedState loaded = steps.load(plan);
        if (loaded.failure() != null) {
            return loaded.failure();
        }
        Decision billing = evaluateBilling(request, loaded.state(), now);
        if (billing.denied() || plan.isEmpty()) {
            return billing;
        }
        return steps.countRpm(plan);
    }

    /**
     * The whole check in order, on a state already loaded (see {@link #evaluate(CheckRequest, Instant, CheckSteps)}).
     *
     * @param request the request
     * @param state the loaded state
     * @param now the current instant
     * @param simpleMode true to allow everything
     * @param breakerOpen true when the billing circuit breaker rejects calls
     * @param rpmPlan the RPM counters to apply (see {@link #rpmPlan})
     * @param counts increments RPM counters; called only when every earlier check passed
     * @return the decision
     */
    public Decision evaluate(CheckRequest request, BillingState state, Instant now, boolean simpleMode,
                             boolean breakerOpen, RpmPlan rpmPlan, RpmCounts counts) {
        return evaluate(request, now, new CheckSteps() {
            @Override
            public boolean simpleMode() {
                return simpleMode;
            }

            @Override
            public boolean breakerOpen() {
                return breakerOpen;
            }

            @Override
            public RpmPlan rpmPlan() {
                return rpmPlan;
            }

            @Override
            public LoadedState load(RpmPlan plan) {
                return LoadedState.of(state);
            }

            @Override
            public Decision countRpm(RpmPlan plan) {
                return evaluateRpm(plan, counts, now);
            }
        });
    }

    /**
     * Steps 3 to 5: the lines of the request's {@link LimitPlan} in order (billing mode, user × platform quota,
     * API key windows), each comparing usage with its cap.
     *
     * @param request the request
     * @param state the loaded state
     * @param now the current instant
     * @return the decision of these steps
     */
    public Decision evaluateBilling(CheckRequest request, BillingState state, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        return walk(request, state, null, 0, now);
    }

    /**
     * The reservation form of steps 3 to 5: the same lines, walked the same way, admitting a hold of
     * {@code estimate} only when every applicable limit stays within its cap counting usage, other live holds
     * of the line's {@link HoldScope} and the estimate ({@link Limit#deniesHold}), and in balance mode only when
     * {@code balance - held - estimate >= 0}. Subscription status and expiry are checked as in
     * {@link #evaluateBilling}. What this admits never exceeds a cap, provided each hold is settled at no more
     * than its estimate.
     *
     * @param request the request
     * @param state the loaded state
     * @param held amounts held by other live reservations
     * @param estimate the amount to hold, nano-units, not negative
     * @param now the current instant
     * @return the decision of these steps
     */
    public Decision evaluateHold(CheckRequest request, BillingState state, Holds held, long estimate, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(held, "held");
        if (estimate < 0) {
            throw new IllegalArgumentException("estimate must not be negative: " + estimate);
        }
        return walk(request, state, held, estimate, now);
    }

    /** The one walk of a plan: a check when {@code held} is null, a hold otherwise. */
    private Decision walk(CheckRequest request, BillingState state, Holds held, long estimate, Instant now) {
        for (LimitLine line : LimitPlan.of(request).lines()) {
            Decision d = line.evaluate(request, state, held, estimate, now, zone);
            if (d != null) {
                return d;
            }
        }
        return Decision.allow();
    }

    /**
     * Which RPM counters apply: a known user × group override replaces the group's limit (0 = exempt at
     * group level); else the group's limit; the user's global limit always applies. Unset limits are not
     * counted.
     *
     * @param request the request
     * @param override the user × group override, empty when there is none
     * @return the plan
     */
    public RpmPlan rpmPlan(CheckRequest request, OptionalLong override) {
        Limit group = null;
        if (request.groupId() != null) {
            if (override.isPresent()) {
                group = override.getAsLong() > 0 ? Limit.of(override.getAsLong()) : null;
            } else if (!request.groupRpmLimit().isUnlimited()) {
                group = request.groupRpmLimit();
            }
        }
        Limit user = request.userRpmLimit().isUnlimited() ? null : request.userRpmLimit();
        return group == null && user == null ? RpmPlan.NONE : new RpmPlan(group, user);
    }

    /**
     * Step 6: increments every planned counter (group, then user) and then denies when a count exceeds its
     * cap, the group's denial first. Both counters are incremented even when the group denies, exactly as the
     * cache does in its single round trip, so the fallback path and the cache path count the same.
     *
     * @param plan the plan
     * @param counts the counter
     * @param now the current instant
     * @return the decision
     */
    public Decision evaluateRpm(RpmPlan plan, RpmCounts counts, Instant now) {
        // group, then user, in both passes; the counts in locals (no array per check)
        long groupCount = count(plan, RpmScope.GROUP, counts);
        long userCount = count(plan, RpmScope.USER, counts);
        Decision denied = deniedByRpm(plan, RpmScope.GROUP, groupCount, now);
        if (denied == null) {
            denied = deniedByRpm(plan, RpmScope.USER, userCount, now);
        }
        return denied == null ? Decision.allow() : denied;
    }

    /** Increments the scope's counter when the plan counts it: the count, else 0. */
    private static long count(RpmPlan plan, RpmScope scope, RpmCounts counts) {
        return plan.limit(scope) == null ? 0 : counts.incrementAndGet(scope);
    }

    /** The denial of a count above the scope's cap, or null. */
    private Decision deniedByRpm(RpmPlan plan, RpmScope scope, long count, Instant now) {
        Limit limit = plan.limit(scope);
        if (limit == null || !limit.deniesCount(count)) {
            return null;
        }
        return Decision.deny(scope == RpmScope.GROUP ? DenyReason.GROUP_RPM_EXCEEDED : DenyReason.USER_RPM_EXCEEDED,
                now, QuotaWindows.RPM.nextReset(null, now, zone), Measure.REQUESTS, count, limit.cap());
    }
}
