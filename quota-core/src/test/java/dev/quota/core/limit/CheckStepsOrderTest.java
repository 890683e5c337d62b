package dev.quota.core.limit;

import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one check order: each step is asked for only once every earlier step passed. */
class CheckStepsOrderTest {

    /** Steps that record what was asked and answer what the test set. */
    private static final class Recorded implements EligibilityEvaluator.CheckSteps {
        final List<String> asked = new ArrayList<>();
        boolean simple;
        boolean open;
        RpmPlan plan = new RpmPlan(null, Limit.of(1));
        EligibilityEvaluator.LoadedState loaded = EligibilityEvaluator.LoadedState.of(state().build());

        @Override
        public boolean simpleMode() {
            asked.add("simpleMode");
            return simple;
        }

        @Override
        public boolean breakerOpen() {
            asked.add("breakerOpen");
            return open;
        }

        @Override
        public RpmPlan rpmPlan() {
            asked.add("rpmPlan");
            return plan;
        }

        @Override
        public EligibilityEvaluator.LoadedState load(RpmPlan p) {
            asked.add("load");
            return loaded;
        }

        @Override
        public Decision countRpm(RpmPlan p) {
            asked.add("countRpm");
            return Decision.deny(DenyReason.USER_RPM_EXCEEDED);
        }
    }

    private final Recorded steps = new Recorded();

    @Test
    void simpleModeAsksNothingElse() {
        steps.simple = true;
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).allowed()).isTrue();
        assertThat(steps.asked).containsExactly("simpleMode");
    }

    @Test
    void anOpenBreakerDeniesBeforeThePlanOrTheLoad() {
        steps.open = true;
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).reason())
                .isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(steps.asked).containsExactly("simpleMode", "breakerOpen");
    }

    @Test
    void aFailedLoadAndABillingDenialCountNoRequest() {
        steps.loaded = EligibilityEvaluator.LoadedState.failed(Decision.deny(DenyReason.BILLING_DATA_INVALID));
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).reason())
                .isEqualTo(DenyReason.BILLING_DATA_INVALID);
        assertThat(steps.asked).containsExactly("simpleMode", "breakerOpen", "rpmPlan", "load");
        steps.asked.clear();
        steps.loaded = EligibilityEvaluator.LoadedState.of(state().balance(Money.ZERO).build());
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).reason())
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(steps.asked).doesNotContain("countRpm");
    }

    @Test
    void rpmIsCountedLastAndOnlyWithAPlan() {
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).reason())
                .isEqualTo(DenyReason.USER_RPM_EXCEEDED);
        assertThat(steps.asked).containsExactly("simpleMode", "breakerOpen", "rpmPlan", "load", "countRpm");
        steps.asked.clear();
        steps.plan = RpmPlan.NONE;
        assertThat(EVALUATOR.evaluate(balanceRequest().build(), NOW, steps).allowed()).isTrue();
        assertThat(steps.asked).doesNotContain("countRpm");
    }
}
