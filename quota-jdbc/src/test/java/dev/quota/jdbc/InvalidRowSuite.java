package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.InvalidDataException;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import org.junit.jupiter.api.Test;

/**
 * A user's bad row is that user's problem: a stored row that cannot be decoded (written here with plain SQL)
 * makes the read throw {@link InvalidDataException} naming the table and the key, never
 * {@link dev.quota.core.BackendUnavailableException} (which would open the circuit breaker for
 * everyone); other users' rows still read.
 */
abstract class InvalidRowSuite extends TablesSuite {

    static final String PREFIX = "iv_";

    InvalidRowSuite() {
        super(PREFIX);
    }

    private void subscription(long user, long group, String status) {
        db().execute("INSERT INTO " + PREFIX + "subscription (user_id, group_id, status, expires_at, daily_used,"
                + " weekly_used, monthly_used) VALUES (" + user + ", " + group + ", '" + status + "', 4102444800000,"
                + " 0, 0, 0)");
    }

    @Test
    void aSubscriptionStatusInLowerCaseIsThatUsersInvalidData() {
        subscription(1, 7, "active");
        subscription(2, 7, "ACTIVE");

        assertThatThrownBy(() -> quota.subscriptions().find(1, 7))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(PREFIX + "subscription").hasMessageContaining("user_id=1")
                .hasMessageContaining("group_id=7").hasMessageContaining("active");
        assertThat(quota.subscriptions().find(2, 7).orElseThrow().status()).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void anUnknownSubscriptionStatusIsInvalidData() {
        subscription(1, 7, "PAUSED");

        assertThatThrownBy(() -> quota.subscriptions().find(1, 7)).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("PAUSED");
    }

    @Test
    void aMalformedPlatformQuotaRowIsInvalidData() {
        db().execute("INSERT INTO " + PREFIX + "platform_quota (user_id, platform, own_limits, daily_limit,"
                + " daily_used, weekly_used, monthly_used) VALUES (3, 'anthropic', 1, -5, 0, 0, 0)");
        db().execute("INSERT INTO " + PREFIX + "platform_quota (user_id, platform, own_limits,"
                + " daily_used, weekly_used, monthly_used) VALUES (4, 'anthropic', 2, 0, 0, 0)");

        assertThatThrownBy(() -> quota.platformQuotas().find(3, "anthropic")).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(PREFIX + "platform_quota").hasMessageContaining("user_id=3");
        assertThatThrownBy(() -> quota.platformQuotas().find(4, "anthropic")).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("own_limits");
    }

    @Test
    void aUsageRowWithAnUnknownBillingModeIsInvalidData() {
        db().execute("INSERT INTO " + PREFIX + "usage_log (request_id, user_id, billing_mode, input_tokens,"
                + " output_tokens, cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost,"
                + " output_cost, cache_creation_cost, cache_read_cost, http_status, is_error, response_time_ms,"
                + " attempts, occurred_at) VALUES ('r-1', 5, 'bogus', 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 200, 0, 0, 1, 0)");

        assertThatThrownBy(() -> quota.usageLog().find(new UsageKey(5, "r-1"))).isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(PREFIX + "usage_log").hasMessageContaining("user_id=5")
                .hasMessageContaining("r-1");
        assertThatThrownBy(() -> quota.usageLog().list(UsageFilter.all(), PageRequest.of(1, 10)))
                .isInstanceOf(InvalidDataException.class);
    }
}
