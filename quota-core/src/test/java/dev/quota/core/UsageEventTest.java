package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageEventTest {

    private static final Instant AT = Instant.parse("2026-11-18T10:15:30.250Z");

    private static UsageEvent.Builder valid() {
        return UsageEvent.builder("req-1", 42).occurredAt(AT);
    }

    private static void assertRejected(UnaryOperator<UsageEvent.Builder> change, String field) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
    }

    @Nested
    class Copies {

        @Test
        void to_builder_copies_every_field_and_a_change_is_validated_again() {
            UsageEvent e = valid().apiKeyId(3).accountId(4).groupId(5).platform("anthropic").model("m")
                    .tokens(1, 2, 3, 4).totalCost(Money.parse("0.4")).actualCost(Money.parse("0.2"))
                    .costParts(Money.parse("0.1"), Money.parse("0.1"), Money.ZERO, Money.parse("0.2"))
                    .httpStatus(502).errorMessage("bad gateway").responseTimeMs(9).attempts(2).build();

            UsageEvent copy = e.toBuilder().build();
            UsageEvent logged = e.toBuilder().billingMode(BillingMode.NONE).build();

            assertThat(copy).isEqualTo(e).hasToString(e.toString());
            assertThat(copy.tokens()).isEqualTo(new UsageTokens(1, 2, 3, 4));
            assertThat(copy.outcome()).isEqualTo(new UsageOutcome(502, "bad gateway", 9, 2));
            assertThat(copy.costs().actual()).isEqualTo(Money.parse("0.2"));
            assertThat(logged.billingMode()).isEqualTo(BillingMode.NONE);
            assertThat(logged).isNotEqualTo(e);
            assertThatThrownBy(() -> e.toBuilder().attempts(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
        }
    }

    @Nested
    class Defaults {

        @Test
        void a_minimal_event_is_a_free_successful_balance_request() {
            UsageEvent e = valid().build();

            assertThat(e.billingMode()).isEqualTo(BillingMode.BALANCE);
            assertThat(e.costs().total()).isEqualTo(Money.ZERO);
            assertThat(e.costs().actual()).isEqualTo(Money.ZERO);
            assertThat(e.outcome().httpStatus()).isEqualTo(200);
            assertThat(e.outcome().attempts()).isEqualTo(1);
            assertThat(e.outcome().isError()).isFalse();
        }

        @Test
        void the_charged_cost_defaults_to_the_total_cost() {
            UsageEvent e = valid().totalCost(Money.parse("0.12")).build();

            assertThat(e.costs().actual()).isEqualTo(Money.parse("0.12"));
        }

        @Test
        void an_explicit_charged_cost_overrides_the_total() {
            UsageEvent e = valid().totalCost(Money.parse("0.12")).actualCost(Money.parse("0.06")).build();

            assertThat(e.costs().total()).isEqualTo(Money.parse("0.12"));
            assertThat(e.costs().actual()).isEqualTo(Money.parse("0.06"));
        }

        @Test
        void total_tokens_sums_all_four_counts() {
            assertThat(valid().tokens(1, 2, 3, 4).build().tokens().total()).isEqualTo(10);
        }

        @Test
        void a_status_of_400_or_an_error_message_makes_an_error() {
            assertThat(valid().httpStatus(400).build().outcome().isError()).isTrue();
            assertThat(valid().httpStatus(399).build().outcome().isError()).isFalse();
            assertThat(valid().errorMessage("upstream timeout").build().outcome().isError()).isTrue();
        }

        @Test
        void accepts_a_subscription_event_with_a_group() {
            UsageEvent e = valid().billingMode(BillingMode.SUBSCRIPTION).groupId(7).build();

            assertThat(e.groupId()).isEqualTo(7);
        }

        @Test
        void equality_compares_the_time_at_millisecond_precision() {
            UsageEvent a = valid().occurredAt(Instant.parse("2026-11-18T10:15:30.250100Z")).build();
            UsageEvent b = valid().occurredAt(Instant.parse("2026-11-18T10:15:30.250900Z")).build();

            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        }
    }

    @Nested
    class RequestId {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void rejects_a_blank_request_id(String id) {
            assertThatThrownBy(() -> UsageEvent.builder(id, 42).occurredAt(AT).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestId");
        }

        @Test
        void accepts_a_request_id_of_128_characters() {
            assertThat(UsageEvent.builder("r".repeat(128), 42).occurredAt(AT).build().requestId()).hasSize(128);
        }

        @Test
        void rejects_a_request_id_longer_than_128_characters() {
            assertThatThrownBy(() -> UsageEvent.builder("r".repeat(129), 42).occurredAt(AT).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestId");
        }

        @ParameterizedTest
        @ValueSource(strings = {"req\n1", "req\u00001", "req\t1"})
        void rejects_control_characters_in_the_request_id(String id) {
            assertThatThrownBy(() -> UsageEvent.builder(id, 42).occurredAt(AT).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestId");
        }
    }

    @Nested
    class Ids {

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_user_id(long id) {
            assertThatThrownBy(() -> UsageEvent.builder("req-1", id).occurredAt(AT).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_api_key_id(long id) {
            assertRejected(b -> b.apiKeyId(id), "apiKeyId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_account_id(long id) {
            assertRejected(b -> b.accountId(id), "accountId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_group_id(long id) {
            assertRejected(b -> b.groupId(id), "groupId");
        }

        @Test
        void rejects_subscription_mode_without_a_group() {
            assertRejected(b -> b.billingMode(BillingMode.SUBSCRIPTION), "groupId");
        }

        @Test
        void rejects_a_null_billing_mode() {
            assertRejected(b -> b.billingMode(null), "billingMode");
        }
    }

    @Nested
    class Tokens {

        static Stream<Arguments> tokenFields() {
            return Stream.of(
                    Arguments.of("inputTokens", (TokenSetter) n -> valid().tokens(n, 0, 0, 0)),
                    Arguments.of("outputTokens", (TokenSetter) n -> valid().tokens(0, n, 0, 0)),
                    Arguments.of("cacheCreationTokens", (TokenSetter) n -> valid().tokens(0, 0, n, 0)),
                    Arguments.of("cacheReadTokens", (TokenSetter) n -> valid().tokens(0, 0, 0, n)));
        }

        interface TokenSetter {
            UsageEvent.Builder with(long n);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("tokenFields")
        void rejects_negative_token_counts(String field, TokenSetter set) {
            assertThatThrownBy(() -> set.with(-1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("tokenFields")
        void rejects_absurd_token_counts(String field, TokenSetter set) {
            assertThatThrownBy(() -> set.with(UsageEvent.MAX_TOKENS + 1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("tokenFields")
        void accepts_the_largest_plausible_token_count(String field, TokenSetter set) {
            assertThat(set.with(UsageEvent.MAX_TOKENS).build().tokens().total()).isEqualTo(UsageEvent.MAX_TOKENS);
        }
    }

    @Nested
    class Costs {

        private static final Money NEGATIVE = Money.ofNanos(-1);

        @Test
        void rejects_a_negative_total_cost() {
            assertRejected(b -> b.totalCost(NEGATIVE), "totalCost");
        }

        @Test
        void rejects_a_negative_charged_cost() {
            assertRejected(b -> b.actualCost(NEGATIVE), "actualCost");
        }

        @Test
        void rejects_negative_cost_parts_naming_each() {
            assertRejected(b -> b.costParts(NEGATIVE, Money.ZERO, Money.ZERO, Money.ZERO), "inputCost");
            assertRejected(b -> b.costParts(Money.ZERO, NEGATIVE, Money.ZERO, Money.ZERO), "outputCost");
            assertRejected(b -> b.costParts(Money.ZERO, Money.ZERO, NEGATIVE, Money.ZERO), "cacheCreationCost");
            assertRejected(b -> b.costParts(Money.ZERO, Money.ZERO, Money.ZERO, NEGATIVE), "cacheReadCost");
        }

        @Test
        void rejects_a_null_cost() {
            assertRejected(b -> b.totalCost(null), "totalCost");
            assertRejected(b -> b.costParts(null, Money.ZERO, Money.ZERO, Money.ZERO), "inputCost");
        }
    }

    @Nested
    class Outcome {

        @ParameterizedTest
        @ValueSource(ints = {99, 600, 0, -200})
        void rejects_a_status_outside_100_to_599(int status) {
            assertRejected(b -> b.httpStatus(status), "httpStatus");
        }

        @ParameterizedTest
        @ValueSource(ints = {100, 599})
        void accepts_the_status_bounds(int status) {
            assertThat(valid().httpStatus(status).build().outcome().httpStatus()).isEqualTo(status);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1})
        void rejects_fewer_than_one_attempt(int attempts) {
            assertRejected(b -> b.attempts(attempts), "attempts");
        }

        @Test
        void rejects_a_negative_response_time() {
            assertRejected(b -> b.responseTimeMs(-1), "responseTimeMs");
        }

        @Test
        void rejects_a_missing_time() {
            assertThatThrownBy(() -> UsageEvent.builder("req-1", 42).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("occurredAt");
        }

        @Test
        void rejects_a_blank_or_overlong_platform_and_model() {
            assertRejected(b -> b.platform(" "), "platform");
            assertRejected(b -> b.model("m".repeat(129)), "model");
        }
    }
}
