package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckKind;
import dev.quota.core.FailurePolicy;
import dev.quota.core.GateConfig;
import dev.quota.core.QuotaListener;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.Limit;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CheckView;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Step 6: the cache's counts when it counted, else the counter, else the RPM failure policy. */
class RpmStepTest {

    private static final RpmPlan USER_CAP_1 = new RpmPlan(null, Limit.of(1));
    private static final CheckRequest REQUEST = CheckRequest.builder(1).userRpmLimit(Limit.of(1)).build();

    private final GateFixture f = new GateFixture();
    private final EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(ZoneOffset.UTC);
    private final AtomicLong counted = new AtomicLong();
    private final List<CheckKind> fallbacks = new CopyOnWriteArrayList<>();
    private final QuotaListener listener = new QuotaListener() {
        @Override
        public void onFallback(CheckKind kind, Throwable cause) {
            fallbacks.add(kind);
        }
    };

    private static CheckView counted(long userCount) {
        return new CheckView(Money.ofUnits(1), null, null, null, Set.of(), true, 0, userCount);
    }

    @Test
    void theCountsOfTheCachesRoundTripDecideWithoutTheCounter() {
        RpmStep rpm = new RpmStep(f.config(b -> b.rpmCounter((u, g, bucket) -> counted.incrementAndGet())),
                evaluator);
        assertThat(rpm.apply(REQUEST, USER_CAP_1, counted(1), GateFixture.NOW).allowed()).isTrue();
        Decision d = rpm.apply(REQUEST, USER_CAP_1, counted(2), GateFixture.NOW);
        assertThat(d.reason()).isEqualTo(DenyReason.USER_RPM_EXCEEDED);
        assertThat(counted).hasValue(0);
    }

    @Test
    void withoutTheCachesCountsTheCounterCounts() {
        RpmStep rpm = new RpmStep(f.config(b -> b.rpmCounter((u, g, bucket) -> counted.incrementAndGet())),
                evaluator);
        CheckView uncounted = new CheckView(Money.ofUnits(1), null, null, null, Set.of(), false, 0, 0);
        assertThat(rpm.apply(REQUEST, USER_CAP_1, uncounted, GateFixture.NOW).allowed()).isTrue();
        assertThat(rpm.apply(REQUEST, USER_CAP_1, null, GateFixture.NOW).reason())
                .isEqualTo(DenyReason.USER_RPM_EXCEEDED);
        assertThat(counted).hasValue(2);
    }

    @Test
    void aMissingOrFailingCounterAppliesTheRpmFailurePolicy() {
        GateConfig open = f.config(b -> b.listener(listener));
        assertThat(new RpmStep(open, evaluator).apply(REQUEST, USER_CAP_1, null, GateFixture.NOW).allowed()).isTrue();
        GateConfig closed = f.config(b -> b.listener(listener).failurePolicy(CheckKind.RPM, FailurePolicy.FAIL_CLOSED)
                .rpmCounter((u, g, bucket) -> {
                    throw new BackendUnavailableException("counter down");
                }));
        assertThat(new RpmStep(closed, evaluator).apply(REQUEST, USER_CAP_1, null, GateFixture.NOW).reason())
                .isEqualTo(DenyReason.BILLING_SERVICE_ERROR);
        assertThat(fallbacks).containsExactly(CheckKind.RPM, CheckKind.RPM);
    }
}
