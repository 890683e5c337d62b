package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import static dev.quota.core.limit.EvaluatorFixture.assertDeniedUntil;
import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.GROUP;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.USER;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.limit.EvaluatorFixture.RecordingRpmCounts;
import dev.quota.core.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Requests per minute: the plan (override → group → user) and the counting check, applied last. */
class RpmCheckTest {

    private static CheckRequest groupRequest(Limit groupRpm, Limit userRpm) {
        return CheckRequest.builder(USER).group(GROUP, groupRpm).userRpmLimit(userRpm).build();
    }

    @Nested
    class Plan {

        @Test
        void an_override_replaces_the_group_limit() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.of(100), Limit.unlimited()), OptionalLong.of(5));

            assertThat(plan.groupLimit()).isEqualTo(Limit.of(5));
            assertThat(plan.userLimit()).isNull();
        }

        @Test
        void an_override_applies_even_when_the_group_has_no_limit() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.unlimited(), Limit.unlimited()), OptionalLong.of(5));

            assertThat(plan.groupLimit()).isEqualTo(Limit.of(5));
        }

        @Test
        void an_override_of_zero_exempts_at_group_level_but_keeps_the_user_limit() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.of(100), Limit.of(30)), OptionalLong.of(0));

            assertThat(plan.groupLimit()).isNull();
            assertThat(plan.userLimit()).isEqualTo(Limit.of(30));
        }

        @Test
        void without_override_the_group_limit_applies() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.of(100), Limit.unlimited()), OptionalLong.empty());

            assertThat(plan.groupLimit()).isEqualTo(Limit.of(100));
        }

        @Test
        void the_user_limit_applies_alongside_the_group_limit() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.of(100), Limit.of(30)), OptionalLong.empty());

            assertThat(plan).isEqualTo(new RpmPlan(Limit.of(100), Limit.of(30)));
        }

        @Test
        void unset_limits_are_not_counted() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.unlimited(), Limit.unlimited()), OptionalLong.empty());

            assertThat(plan).isEqualTo(RpmPlan.NONE);
            assertThat(plan.isEmpty()).isTrue();
        }

        @Test
        void a_request_without_group_counts_only_the_user() {
            CheckRequest request = CheckRequest.builder(USER).userRpmLimit(Limit.of(30)).build();

            RpmPlan plan = EVALUATOR.rpmPlan(request, OptionalLong.of(5));

            assertThat(plan.groupLimit()).isNull();
            assertThat(plan.userLimit()).isEqualTo(Limit.of(30));
        }

        @Test
        void a_disabled_group_limit_is_counted_and_denies() {
            RpmPlan plan = EVALUATOR.rpmPlan(groupRequest(Limit.disabled(), Limit.unlimited()), OptionalLong.empty());

            assertThat(plan.groupLimit()).isEqualTo(Limit.disabled());
            assertThat(EVALUATOR.evaluateRpm(plan, new RecordingRpmCounts(), NOW).reason())
                    .isEqualTo(DenyReason.GROUP_RPM_EXCEEDED);
        }
    }

    @Nested
    class Counting {

        @Test
        void allows_a_count_equal_to_the_cap() {
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.GROUP, 3);

            assertThat(EVALUATOR.evaluateRpm(new RpmPlan(Limit.of(3), null), counts, NOW).allowed()).isTrue();
        }

        @Test
        void denies_group_rpm_when_the_count_exceeds_the_cap_until_the_next_minute() {
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.GROUP, 4);

            Decision d = EVALUATOR.evaluateRpm(new RpmPlan(Limit.of(3), null), counts, NOW);

            assertDeniedUntil(d, DenyReason.GROUP_RPM_EXCEEDED, Instant.parse("2026-11-18T10:16:00Z"),
                    Duration.ofSeconds(30));
            assertThat(d.measure()).isEqualTo(Measure.REQUESTS);
            assertThat(d.used()).isEqualTo(4);
            assertThat(d.limit()).isEqualTo(3);
        }

        @Test
        void a_group_denial_still_counts_the_user_counter_as_the_cache_does() {
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.GROUP, 4).answering(RpmScope.USER, 1);

            Decision d = EVALUATOR.evaluateRpm(new RpmPlan(Limit.of(3), Limit.of(30)), counts, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.GROUP_RPM_EXCEEDED);
            assertThat(counts.increments).containsExactly(RpmScope.GROUP, RpmScope.USER);
        }

        @Test
        void denies_user_rpm_when_the_count_exceeds_the_cap_until_the_next_minute() {
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 31);

            Decision d = EVALUATOR.evaluateRpm(new RpmPlan(null, Limit.of(30)), counts, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.USER_RPM_EXCEEDED);
            assertThat(d.httpStatus()).isEqualTo(429);
            assertThat(d.resetsAt()).isEqualTo(Instant.parse("2026-11-18T10:16:00Z"));
        }

        @Test
        void the_user_limit_still_applies_when_the_group_passes() {
            RecordingRpmCounts counts = new RecordingRpmCounts()
                    .answering(RpmScope.GROUP, 1)
                    .answering(RpmScope.USER, 31);

            Decision d = EVALUATOR.evaluateRpm(new RpmPlan(Limit.of(100), Limit.of(30)), counts, NOW);

            assertThat(d.reason()).isEqualTo(DenyReason.USER_RPM_EXCEEDED);
            assertThat(counts.increments).containsExactly(RpmScope.GROUP, RpmScope.USER);
        }

        @Test
        void an_empty_plan_counts_nothing() {
            RecordingRpmCounts counts = new RecordingRpmCounts();

            assertThat(EVALUATOR.evaluateRpm(RpmPlan.NONE, counts, NOW).allowed()).isTrue();
            assertThat(counts.increments).isEmpty();
        }

        @Test
        void an_exempt_user_is_counted_only_against_the_user_limit() {
            CheckRequest request = groupRequest(Limit.of(1), Limit.of(30));
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.GROUP, 1_000);

            Decision d = EVALUATOR.evaluate(request, state().build(), NOW, false, false,
                    EVALUATOR.rpmPlan(request, OptionalLong.of(0)), counts);

            assertThat(d.allowed()).isTrue();
            assertThat(counts.increments).containsExactly(RpmScope.USER);
        }

        @Test
        void the_counter_is_not_called_for_a_request_denied_earlier() {
            CheckRequest request = groupRequest(Limit.of(10), Limit.of(30));
            RecordingRpmCounts counts = new RecordingRpmCounts();

            Decision d = EVALUATOR.evaluate(request, state().balance(Money.ZERO).build(), NOW, false, false,
                    EVALUATOR.rpmPlan(request, OptionalLong.empty()), counts);

            assertThat(d.reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
            assertThat(counts.increments).isEmpty();
        }

        @Test
        void the_reset_on_a_minute_boundary_is_a_full_minute_away() {
            Instant boundary = Instant.parse("2026-11-18T10:16:00Z");
            RecordingRpmCounts counts = new RecordingRpmCounts().answering(RpmScope.USER, 2);

            Decision d = EVALUATOR.evaluateRpm(new RpmPlan(null, Limit.of(1)), counts, boundary);

            assertThat(d.resetsAt()).isEqualTo(Instant.parse("2026-11-18T10:17:00Z"));
            assertThat(d.retryAfterSeconds()).contains(60L);
        }
    }
}
