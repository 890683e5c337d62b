package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingMode;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.Period;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.redis.ApplyArgs.Argv;
import dev.quota.redis.ApplyArgs.Key;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record script's keys and arguments as {@link ApplyArgs} documents them, read back by name. */
class ApplyArgsTest {

    private final RedisKeys keys = new RedisKeys("quota", 16);
    private final RedisQuotaOptions options = RedisQuotaOptions.builder().entryTtlJitter(Duration.ZERO).build();
    private final ApplyArgs applyArgs = new ApplyArgs(keys, options);

    private static String text(Object value) {
        byte[] raw = value instanceof Arg a ? a.getRaw() : (byte[]) value;
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static String key(ApplyArgs.Call call, Key slot) {
        return text(call.keys()[ApplyArgs.KEYS.index(slot)]);
    }

    private static String arg(ApplyArgs.Call call, Argv slot) {
        return arg(call, slot, 0);
    }

    private static String arg(ApplyArgs.Call call, Argv slot, int i) {
        return text(call.args()[ApplyArgs.ARGV.index(slot) + i]);
    }

    private static UsageEvent subscriptionEventWithKeyAndModel() {
        return UsageEvent.builder("req-1", 42).groupId(7).billingMode(BillingMode.SUBSCRIPTION).platform("anthropic")
                .apiKeyId(9).model("m:1").tokens(100, 20, 5, 3).actualCost(Money.ofNanos(1_500))
                .totalCost(Money.ofNanos(2_000)).occurredAt(NOW).build();
    }

    @Test
    void aSettlementInSubscriptionModeWithAKeyAndAModelSendsEachValueInItsNamedSlot() {
        UsageEvent event = subscriptionEventWithKeyAndModel();
        ApplyArgs.Call call = applyArgs.build("h-1", event, NOW, ZONE);

        assertThat(call.keys()).hasSize(ApplyArgs.KEYS.size()).hasSize(Key.values().length);
        assertThat(call.args()).hasSize(ApplyArgs.ARGV.size()).hasSize(26);
        assertThat(key(call, Key.MARKER)).isEqualTo(keys.done(42, "req-1"));
        assertThat(key(call, Key.MAIN)).isEqualTo(keys.subscription(42, 7));
        assertThat(key(call, Key.MAIN_DIRTY)).isEqualTo(keys.dirty(keys.subscription(42, 7)));
        assertThat(key(call, Key.KEY_USAGE)).isEqualTo(keys.keyUsage(42, 9));
        assertThat(key(call, Key.KEY_DIRTY)).isEqualTo(keys.dirty(keys.keyUsage(42, 9)));
        assertThat(key(call, Key.MODEL)).isEqualTo(keys.keyModelUsage(42, 9, "m:1"));
        assertThat(key(call, Key.MODEL_DIRTY)).isEqualTo(keys.dirty(keys.keyModelUsage(42, 9, "m:1")));
        assertThat(key(call, Key.HOLDS)).isEqualTo(keys.holds(42));
        assertThat(key(call, Key.SETTLED)).isEqualTo(keys.settled(42, "h-1"));
        assertThat(key(call, Key.OUTBOX)).isEqualTo(keys.outbox(keys.shard(42)));
        assertThat(key(call, Key.OUTBOX_DUE)).isEqualTo(keys.outboxDue(keys.shard(42)));

        assertThat(arg(call, Argv.MODE)).isEqualTo("s");
        assertThat(arg(call, Argv.FLAGS)).isEqualTo("KMH");
        assertThat(arg(call, Argv.COST)).isEqualTo("1500");
        assertThat(arg(call, Argv.MARKER_TTL)).isEqualTo(Long.toString(options.idempotencyTtl().toMillis()));
        assertThat(arg(call, Argv.ENTRY_TTL)).isEqualTo(Long.toString(options.entryTtl().toMillis()));
        assertThat(arg(call, Argv.KEY_TTL)).isEqualTo(Long.toString(options.keyUsageTtl().toMillis()));
        assertThat(arg(call, Argv.DIRTY_TTL)).isEqualTo(Long.toString(options.dirtyTtl().toMillis()));
        assertThat(ApplyArgs.CONSTANTS).containsEntry("SV_SUBSCRIPTION", "'" + SubscriptionEntry.SCHEMA_VERSION + "'")
                .containsEntry("SV_KEY", "'" + KeyUsageEntry.SCHEMA_VERSION + "'")
                .containsEntry("SV_MODEL", "'" + KeyModelUsageEntry.SCHEMA_VERSION + "'");
        assertThat(ApplyArgs.CONSTANTS.get("STATUSES")).startsWith("',ACTIVE,").endsWith(",'");
        for (Period p : Period.values()) {
            assertThat(arg(call, Argv.PERIOD_THRESHOLDS, p.ordinal())).as("%s", p).isEqualTo(
                    Long.toString(QuotaWindows.subscription(p).expiredBeforeMillis(NOW, ZONE)));
            assertThat(arg(call, Argv.PERIOD_STARTS, p.ordinal())).as("%s", p).isEqualTo(
                    Long.toString(new CalendarStarts().newStartMillis(QuotaWindows.subscription(p), NOW, ZONE)));
        }
        for (KeyWindow w : KeyWindow.values()) {
            assertThat(arg(call, Argv.KEY_THRESHOLDS, w.ordinal())).as("%s", w).isEqualTo(
                    Long.toString(w.window().expiredBeforeMillis(NOW, ZONE)));
            assertThat(arg(call, Argv.KEY_STARTS, w.ordinal())).as("%s", w).isEqualTo(
                    Long.toString(new CalendarStarts().newStartMillis(w.window(), NOW, ZONE)));
        }
        assertThat(arg(call, Argv.HOLD_ID)).isEqualTo("h-1");
        assertThat(arg(call, Argv.OUTBOX_MEMBER)).isEqualTo("42:req-1");
        assertThat(UsageEventCodec.decode(arg(call, Argv.EVENT))).isEqualTo(event);
        assertThat(arg(call, Argv.NOW)).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(arg(call, Argv.TOKENS)).isEqualTo("120");
        assertThat(arg(call, Argv.TPM_THRESHOLD))
                .isEqualTo(Long.toString(QuotaWindows.TPM.expiredBeforeMillis(NOW, ZONE)));
    }

    @Test
    void aBalanceRecordWithoutKeyOrOutboxTouchesNeitherAndSendsNoHold() {
        ApplyArgs noOutbox = new ApplyArgs(keys, RedisQuotaOptions.builder().outbox(false).build());
        UsageEvent event = UsageEvent.builder("req-2", 42).platform("anthropic").actualCost(Money.ofNanos(7))
                .totalCost(Money.ofNanos(7)).occurredAt(NOW).build();
        ApplyArgs.Call call = noOutbox.build(null, event, NOW, ZONE);

        assertThat(key(call, Key.MAIN)).isEqualTo(keys.balance(42));
        assertThat(key(call, Key.PLATFORM)).isEqualTo(keys.platformQuota(42, "anthropic"));
        assertThat(key(call, Key.PLATFORM_DIRTY)).isEqualTo(keys.dirty(keys.platformQuota(42, "anthropic")));
        assertThat(List.of(key(call, Key.KEY_USAGE), key(call, Key.KEY_DIRTY), key(call, Key.MODEL),
                key(call, Key.MODEL_DIRTY), key(call, Key.SETTLED))).as("slots the script leaves untouched")
                .containsOnly(keys.holds(42));
        assertThat(arg(call, Argv.MODE)).isEqualTo("b");
        assertThat(arg(call, Argv.FLAGS)).isEqualTo("P");
        assertThat(arg(call, Argv.PERIOD_THRESHOLDS, 0)).isEqualTo(
                Long.toString(QuotaWindows.platform(Period.DAILY).expiredBeforeMillis(NOW, ZONE)));
        assertThat(List.of(arg(call, Argv.HOLD_ID), arg(call, Argv.OUTBOX_MEMBER), arg(call, Argv.EVENT)))
                .containsOnly("");
        assertThat(arg(call, Argv.TOKENS)).isEqualTo("0");
    }
}
