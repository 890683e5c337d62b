package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DenyReasonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "BILLING_SERVICE_ERROR, 503",
        "BILLING_DATA_INVALID, 500",
        "SUBSCRIPTION_INVALID, 403",
        "DAILY_LIMIT_EXCEEDED, 429",
        "WEEKLY_LIMIT_EXCEEDED, 429",
        "MONTHLY_LIMIT_EXCEEDED, 429",
        "INSUFFICIENT_BALANCE, 403",
        "USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, 429",
        "USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED, 429",
        "USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED, 429",
        "API_KEY_RATE_5H_EXCEEDED, 429",
        "API_KEY_RATE_1D_EXCEEDED, 429",
        "API_KEY_RATE_7D_EXCEEDED, 429",
        "API_KEY_TPM_EXCEEDED, 429",
        "GROUP_RPM_EXCEEDED, 429",
        "USER_RPM_EXCEEDED, 429"
    })
    void answers_with_the_http_status_of_the_production_gateways(String code, int status) {
        DenyReason reason = DenyReason.valueOf(code);

        assertThat(reason.httpStatus()).isEqualTo(status);
        assertThat(reason.code()).isEqualTo(code);
    }

    @Test
    void there_are_exactly_the_fourteen_codes_of_the_check_order_and_one_for_invalid_data() {
        assertThat(DenyReason.values()).hasSize(16);
    }

    @ParameterizedTest
    @EnumSource(DenyReason.class)
    void every_reason_has_a_message(DenyReason reason) {
        assertThat(reason.message()).isNotBlank();
    }

    @Test
    void client_facing_messages_match_the_production_gateways() {
        assertThat(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED.message())
                .isEqualTo("Daily usage quota exhausted for this platform.");
        assertThat(DenyReason.BILLING_SERVICE_ERROR.message())
                .isEqualTo("Billing service temporarily unavailable. Please retry later.");
    }

    @Test
    void codes_are_unique() {
        assertThat(Arrays.stream(DenyReason.values()).map(DenyReason::code)).doesNotHaveDuplicates();
    }
}
