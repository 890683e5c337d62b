package dev.quota.core.internal;

import dev.quota.core.CheckKind;
import dev.quota.core.FailurePolicy;
import dev.quota.core.GateConfig;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.RpmScope;
import dev.quota.core.spi.CheckView;
import java.time.Instant;

/**
 * Step 6 of a check or a reservation: the RPM counts the cache took in its round trip, else an increment of the
 * {@link dev.quota.core.spi.RpmCounter}; a counter that cannot answer (or none configured) applies the RPM failure
 * policy. Thread-safe.
 */
final class RpmStep {

    private final GateConfig config;
    private final EligibilityEvaluator evaluator;

    /**
     * @param config the gate's configuration (counter, failure policies, listener)
     * @param evaluator the evaluator
     */
    RpmStep(GateConfig config, EligibilityEvaluator evaluator) {
        this.config = config;
        this.evaluator = evaluator;
    }

    /**
     * @param request the request
     * @param plan the RPM plan, not empty
     * @param view what the cache answered, or null
     * @param now the current instant
     * @return the RPM decision: from the view's counts when the cache counted, else from the counter
     */
    Decision apply(CheckRequest request, RpmPlan plan, CheckView view, Instant now) {
        if (view != null && view.rpmCounted()) {
            return evaluator.evaluateRpm(plan,
                    scope -> scope == RpmScope.GROUP ? view.groupRpmCount() : view.userRpmCount(), now);
        }
        if (config.rpmCounter() == null) {
            return failurePolicy(new BackendUnavailableException("no RPM counter configured"));
        }
        Instant bucket = QuotaWindows.RPM.bucketStart(now);
        try {
            return evaluator.evaluateRpm(plan, scope -> config.rpmCounter().increment(request.userId(),
                    scope == RpmScope.GROUP ? request.groupId() : null, bucket), now);
        } catch (BackendUnavailableException e) {
            return failurePolicy(e);
        }
    }

    private Decision failurePolicy(BackendUnavailableException e) {
        Listeners.fallback(config.listener(), CheckKind.RPM, e);
        return config.policies().get(CheckKind.RPM) == FailurePolicy.FAIL_CLOSED
                ? Decision.deny(DenyReason.BILLING_SERVICE_ERROR) : Decision.allow();
    }
}
