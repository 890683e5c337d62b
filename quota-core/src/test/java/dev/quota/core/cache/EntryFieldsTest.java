package dev.quota.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codecs' {@code decodeFields} read the fields through {@link EntryFields}, whose values need not be
 * {@code String}s and may all be handed out in one reused view: each decodes exactly what {@code decode} of the
 * same fields as a map decodes.
 */
class EntryFieldsTest {

    private static final WindowUsage USED = new WindowUsage(1_000_000_000L, Instant.parse("2026-11-17T16:00:00Z"));
    private static final WindowUsage OTHER = new WindowUsage(3, Instant.parse("2026-11-15T16:00:00Z"));

    /** Every value in one reused {@link StringBuilder}, valid until the next lookup, as an adapter may hand them. */
    private static EntryFields reusedView(Map<String, String> hash) {
        StringBuilder view = new StringBuilder();
        return field -> {
            String v = hash.get(field);
            if (v == null) {
                return null;
            }
            view.setLength(0);
            return view.append(v);
        };
    }

    @Test
    void a_balance_decodes_from_a_reused_view_as_from_its_map() {
        Map<String, String> h = BalanceEntry.encode(Money.ofNanos(-42));

        assertThat(BalanceEntry.decodeFields(reusedView(h))).contains(Money.ofNanos(-42)).isEqualTo(BalanceEntry.decode(h));
    }

    @Test
    void a_subscription_decodes_from_a_reused_view_as_from_its_map() {
        SubscriptionState s = new SubscriptionState(42, 7, SubscriptionStatus.ACTIVE,
                Instant.parse("2026-12-01T00:00:00Z"), USED, OTHER, WindowUsage.EMPTY);
        Map<String, String> h = SubscriptionEntry.encode(s);

        assertThat(SubscriptionEntry.decodeFields(42, 7, reusedView(h))).contains(s)
                .isEqualTo(SubscriptionEntry.decode(42, 7, h));
    }

    @Test
    void a_platform_quota_decodes_from_a_reused_view_as_from_its_map() {
        PlatformQuotaRecord q = new PlatformQuotaRecord(42, "anthropic",
                new PeriodLimits(Limit.of(5_000_000_000L), Limit.disabled(), Limit.unlimited()), USED, OTHER,
                WindowUsage.EMPTY);
        Map<String, String> h = PlatformQuotaEntry.encode(q);

        assertThat(PlatformQuotaEntry.decodeFields(42, "anthropic", reusedView(h))).contains(q)
                .isEqualTo(PlatformQuotaEntry.decode(42, "anthropic", h));
    }

    @Test
    void a_key_usage_decodes_from_a_reused_view_as_from_its_map() {
        KeyUsage u = new KeyUsage(42, 99, USED, OTHER, WindowUsage.EMPTY, new WindowUsage(1500, USED.start()));
        Map<String, String> h = KeyUsageEntry.encode(u);

        assertThat(KeyUsageEntry.decodeFields(42, 99, reusedView(h))).contains(u)
                .isEqualTo(KeyUsageEntry.decode(42, 99, h));
    }

    @Test
    void a_key_model_usage_decodes_from_a_reused_view_as_from_its_map() {
        KeyModelUsage u = new KeyModelUsage(42, 99, "claude", USED, OTHER, WindowUsage.EMPTY);
        Map<String, String> h = KeyModelUsageEntry.encode(u);

        assertThat(KeyModelUsageEntry.decodeFields(42, 99, "claude", reusedView(h))).contains(u)
                .isEqualTo(KeyModelUsageEntry.decode(42, 99, "claude", h));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "007", "-0", "-05", "٣", "1e9", "12.5", " 5", "5 ", "-", "", "99999999999999999999"})
    void a_non_canonical_amount_in_a_view_is_a_miss(String amount) {
        assertThat(BalanceEntry.decodeFields(reusedView(Map.of("sv", "1", BalanceEntry.BALANCE, amount)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "+1", "1 ", "", "-1", "1.0", "2"})
    void a_schema_version_not_written_as_the_current_one_is_a_miss(String version) {
        Map<String, String> h = new HashMap<>(BalanceEntry.encode(Money.ofNanos(5)));
        h.put("sv", version);

        assertThat(BalanceEntry.decodeFields(reusedView(h))).isEmpty();
        assertThat(BalanceEntry.decode(h)).isEmpty();
    }

    @Test
    void an_entry_without_fields_is_a_miss() {
        assertThat(BalanceEntry.decodeFields(field -> null)).isEmpty();
        assertThat(PlatformQuotaEntry.decodeFields(42, "anthropic", field -> null)).isEmpty();
    }
}
