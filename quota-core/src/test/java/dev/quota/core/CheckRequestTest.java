package dev.quota.core;

import dev.quota.core.limit.PeriodLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CheckRequestTest {

    @Nested
    class Defaults {

        private final CheckRequest request = CheckRequest.builder(42).build();

        @Test
        void has_no_key_group_or_platform() {
            assertThat(request.userId()).isEqualTo(42);
            assertThat(request.apiKeyId()).isNull();
            assertThat(request.groupId()).isNull();
            assertThat(request.platform()).isNull();
            assertThat(request.authSource()).isNull();
        }

        @Test
        void has_no_limits() {
            assertThat(request.userRpmLimit()).isEqualTo(Limit.unlimited());
            assertThat(request.keyLimits()).isEqualTo(KeyLimits.UNLIMITED);
            assertThat(request.groupLimits()).isEqualTo(PeriodLimits.UNLIMITED);
            assertThat(request.groupRpmLimit()).isEqualTo(Limit.unlimited());
        }

        @Test
        void is_in_balance_mode() {
            assertThat(request.subscriptionMode()).isFalse();
        }

        @Test
        void does_not_know_the_rpm_override() {
            assertThat(request.groupRpmOverrideKnown()).isFalse();
            assertThat(request.groupRpmOverride()).isEmpty();
        }
    }

    @Nested
    class RpmOverride {

        @Test
        void a_stated_override_is_known() {
            CheckRequest r = CheckRequest.builder(1).group(2, Limit.of(10)).groupRpmOverride(5).build();

            assertThat(r.groupRpmOverrideKnown()).isTrue();
            assertThat(r.groupRpmOverride()).hasValue(5);
        }

        @Test
        void a_stated_absence_of_override_is_known_and_empty() {
            CheckRequest r = CheckRequest.builder(1).group(2, Limit.of(10)).noGroupRpmOverride().build();

            assertThat(r.groupRpmOverrideKnown()).isTrue();
            assertThat(r.groupRpmOverride()).isEmpty();
        }

        @Test
        void an_override_of_zero_is_allowed() {
            assertThat(CheckRequest.builder(1).groupRpmOverride(0).build().groupRpmOverride()).hasValue(0);
        }
    }

    @Nested
    class Groups {

        @Test
        void a_standard_group_drops_earlier_subscription_limits() {
            CheckRequest r = CheckRequest.builder(1)
                    .subscriptionGroup(2, new PeriodLimits(Limit.of(1), Limit.of(1), Limit.of(1)), Limit.of(5))
                    .group(3, Limit.of(7))
                    .subscribed(true)
                    .build();

            assertThat(r.groupId()).isEqualTo(3);
            assertThat(r.subscriptionGroup()).isFalse();
            assertThat(r.groupLimits()).isEqualTo(PeriodLimits.UNLIMITED);
            assertThat(r.groupRpmLimit()).isEqualTo(Limit.of(7));
            assertThat(r.subscriptionMode()).isFalse();
        }

        @Test
        void a_subscribed_subscription_group_is_subscription_mode() {
            CheckRequest r = CheckRequest.builder(1).subscriptionGroup(2, PeriodLimits.UNLIMITED, Limit.unlimited())
                    .subscribed(true).build();

            assertThat(r.subscriptionMode()).isTrue();
        }
    }

    @Nested
    class Validation {

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_user_id(long id) {
            assertThatThrownBy(() -> CheckRequest.builder(id))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_api_key_id(long id) {
            assertThatThrownBy(() -> CheckRequest.builder(1).apiKey(id, KeyLimits.UNLIMITED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKeyId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void rejects_a_non_positive_group_id(long id) {
            assertThatThrownBy(() -> CheckRequest.builder(1).group(id, Limit.unlimited()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
            assertThatThrownBy(() -> CheckRequest.builder(1).subscriptionGroup(id, PeriodLimits.UNLIMITED,
                    Limit.unlimited())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  "})
        void rejects_a_blank_platform(String platform) {
            assertThatThrownBy(() -> CheckRequest.builder(1).platform(platform))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("platform");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  "})
        void rejects_a_blank_auth_source(String source) {
            assertThatThrownBy(() -> CheckRequest.builder(1).authSource(source))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authSource");
        }

        @Test
        void rejects_a_negative_rpm_override() {
            assertThatThrownBy(() -> CheckRequest.builder(1).groupRpmOverride(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupRpmOverride");
        }

        @Test
        void rejects_a_subscription_without_a_group() {
            assertThatThrownBy(() -> CheckRequest.builder(1).subscribed(true).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subscribed");
        }

        @Test
        void rejects_null_limits_naming_the_field() {
            assertThatThrownBy(() -> CheckRequest.builder(1).userRpmLimit(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("userRpmLimit");
            assertThatThrownBy(() -> CheckRequest.builder(1).apiKey(1, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("keyLimits");
            assertThatThrownBy(() -> CheckRequest.builder(1).group(1, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("groupRpmLimit");
            assertThatThrownBy(() -> CheckRequest.builder(1).subscriptionGroup(1, null, Limit.unlimited()))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("groupLimits");
        }
    }
}
