package dev.quota.core.internal;

import dev.quota.core.CheckKind;
import dev.quota.core.GateConfig;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.InvalidDataException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.EligibilityEvaluator.LoadedState;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CheckView;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check of one request: runs {@link EligibilityEvaluator#evaluate(CheckRequest, Instant,
 * EligibilityEvaluator.CheckSteps)} (the one definition of the check order) with the gate's steps: the breaker
 * permit, the RPM override lookup, one cache round trip (which counts RPM too), the store reads the view lacks
 * and RPM counting when the cache did not count. Thread-safe.
 */
final class CheckFlow {

    private static final Logger LOG = LoggerFactory.getLogger(CheckFlow.class);

    private final GateConfig config;
    private final CheckParts parts;

    /**
     * @param config the gate's configuration
     * @param parts the evaluator, breaker, RPM overrides, store reader and RPM step
     */
    CheckFlow(GateConfig config, CheckParts parts) {
        this.config = config;
        this.parts = parts;
    }

    /**
     * @param request the request, validated
     * @return the decision
     */
    Decision decide(CheckRequest request) {
        Run run = new Run(request, config.time().now());
        try {
            return parts.evaluator().evaluate(request, run.now, run);
        } catch (InvalidDataException e) {
            return invalidData(request, e);
        } finally {
            run.finish();
        }
    }

    /**
     * A row of the user cannot be decoded: that user's problem, never an outage (the breaker counts the call
     * as a success, see {@link BreakerPermit#finish}).
     *
     * @param request the request
     * @param e what could not be decoded
     * @return the denial
     */
    static Decision invalidData(CheckRequest request, InvalidDataException e) {
        LOG.error("billing data of user {} cannot be decoded: {}", request.userId(), e.getMessage());
        return Decision.deny(DenyReason.BILLING_DATA_INVALID);
    }

    /** The steps of one check; holds its breaker permit and what the cache answered. */
    private final class Run implements EligibilityEvaluator.CheckSteps {
        private final CheckRequest request;
        private final Instant now;
        private BreakerPermit permit;
        private CheckView view;

        Run(CheckRequest request, Instant now) {
            this.request = request;
            this.now = now;
        }

        @Override
        public boolean simpleMode() {
            return config.simpleMode();
        }

        @Override
        public boolean breakerOpen() {
            permit = BreakerPermit.acquire(parts.breaker());
            return permit == null;
        }

        @Override
        public RpmPlan rpmPlan() {
            return parts.evaluator().rpmPlan(request, parts.overrides().resolve(request, now));
        }

        @Override
        public LoadedState load(RpmPlan plan) {
            CacheCheck check = new CacheCheck(request, plan, now, config.zone());
            if (config.cache() != null) {
                try {
                    view = config.cache().check(check);
                } catch (BackendUnavailableException e) {
                    Listeners.fallback(config.listener(),
                            request.subscriptionMode() ? CheckKind.SUBSCRIPTION : CheckKind.BALANCE, e);
                }
            }
            return parts.loader().load(request, check, view, view != null ? StateLoader.Refill.QUEUED : StateLoader.Refill.NONE,
                    permit);
        }

        @Override
        public Decision countRpm(RpmPlan plan) {
            return parts.rpm().apply(request, plan, view, now);
        }

        void finish() {
            if (permit != null) {
                permit.finish();
            }
        }
    }
}
