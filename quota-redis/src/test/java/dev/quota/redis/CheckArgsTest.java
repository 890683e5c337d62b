package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.limit.LimitLine;
import dev.quota.core.limit.LimitPlan;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.Hold;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.Rawable;

/** The check script's arguments as {@link CheckArgs} documents them, read back the way {@code check.lua} reads them. */
class CheckArgsTest {

    private final RedisKeys keys = new RedisKeys("quota", 16);
    private final CheckArgs args = new CheckArgs(keys, 120_000);

    private static String text(Object arg) {
        byte[] raw = arg instanceof Arg a ? a.getRaw() : (byte[]) arg;
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static String statuses() {
        StringBuilder sb = new StringBuilder(",");
        for (SubscriptionStatus s : SubscriptionStatus.values()) {
            sb.append(s.name()).append(',');
        }
        return sb.toString();
    }

    private static CheckRequest request() {
        return CheckRequest.builder(42).platform("anthropic")
                .apiKey(9, new KeyLimits(Limit.of(5), Limit.unlimited(), Limit.of(7)), Limit.of(1_000))
                .modelCap("m:1", new KeyLimits(Limit.unlimited(), Limit.of(11), Limit.unlimited())).build();
    }

    @Test
    void eachLineCarriesItsSpecAndWhatTheCallChangesAndTheSpecNamesItsFieldsByPosition() {
        CheckRequest request = request();
        LimitPlan plan = LimitPlan.of(request);
        CheckArgs.Call call = args.build(new CacheCheck(request, new RpmPlan(null, Limit.of(60)), NOW, ZONE),
                new Hold("h-1", Money.ofNanos(3), NOW.plusSeconds(30)));
        List<Rawable> a = Arrays.asList(call.args());

        assertThat(text(a.get(0))).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(text(a.get(2))).isEmpty();
        assertThat(text(a.get(3))).isEqualTo("60");
        assertThat(text(a.get(5))).isEqualTo("b1p1k2m1");
        assertThat(call.keys()).hasSize(3 + plan.entries().size());
        assertThat(text(call.keys()[3])).isEqualTo(keys.balance(42));
        assertThat(text(call.keys()[5])).isEqualTo(keys.keyUsage(42, 9));
        assertThat(text(call.keys()[6])).isEqualTo(keys.keyModelUsage(42, 9, "m:1"));

        int at = 7;
        for (LimitLine line : plan.lines()) {
            String spec = text(a.get(at++));
            String[] fields = ReplyHash.fieldsOf(line.entry());
            assertThat(plan.entries().get(spec.charAt(1) - '0' - 1)).isEqualTo(line.entry());
            assertThat(spec.charAt(2) - '0').isEqualTo(line.holdScope() == null ? 0 : line.holdScope().ordinal() + 1);
            for (int f = 0; f < line.fields().size(); f++) {
                assertThat(fields[spec.charAt(3 + f) - '0' - 1]).as("%s", line).isEqualTo(line.fields().get(f));
            }
            if (line.kind() == LimitLine.Kind.WINDOW) {
                assertThat(text(a.get(at++))).as("threshold of %s", line)
                        .isEqualTo(Long.toString(line.window().expiredBeforeMillis(NOW, ZONE)));
                if (line.cappedByRequest()) {
                    assertThat(spec.charAt(0)).isEqualTo('w');
                    Limit cap = line.requestCap(request);
                    assertThat(text(a.get(at++))).isEqualTo(cap.isUnlimited() ? "" : Long.toString(cap.cap()));
                } else {
                    assertThat(spec.charAt(0)).isEqualTo('e');
                }
            }
        }
        assertThat(text(a.get(6))).as("T, the first argument after the lines (1-based)").isEqualTo(Integer.toString(at + 1));
        assertThat(a.subList(at, a.size()).stream().map(CheckArgsTest::text))
                .containsExactly("h-1", "3", Long.toString(NOW.plusSeconds(30).toEpochMilli()), "30000",
                        "b", "", "p:anthropic", "k:9", "m:9:m:1");
        assertThat(CheckArgs.replySize(plan)).isEqualTo(4 + 4 + 5);
    }

    @Test
    void aBalanceOnlyReservationSendsItsOneLineThenTheHold() {
        CheckRequest request = CheckRequest.builder(42).build();
        CheckArgs.Call call = args.build(new CacheCheck(request, RpmPlan.NONE, NOW, ZONE),
                new Hold("h-2", Money.ofNanos(5), NOW.plusSeconds(10)));

        assertThat(Arrays.stream(call.args()).map(CheckArgsTest::text))
                .containsExactly(Long.toString(NOW.toEpochMilli()), statuses(), "", "", "120000", "b1", "9",
                        "b112", "h-2", "5", Long.toString(NOW.plusSeconds(10).toEpochMilli()), "10000",
                        "b", "", "", "", "");
        assertThat(CheckArgs.replySize(LimitPlan.of(request))).isEqualTo(4 + 1 + 5);
    }
}
