package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.KEY;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.Reservation;
import dev.quota.testkit.InMemoryBillingCache;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API key's spend cap on one model through the gate: the recorded cost of the key's usage of that model denies
 * the key on that model only, with Retry-After to the end of the window, from the cache and from the stores.
 */
class BillingGateModelCapTest extends GateTest {

    private static final String MODEL = "claude-sonnet-4";
    private static final KeyLimits CAP = new KeyLimits(Limit.of(usd("5")), Limit.of(usd("7")), Limit.unlimited());

    private BillingGate gate;

    @BeforeEach
    void setUp() {
        q.balances().set(USER, usd("100"));
        gate = openGate();
    }

    private static CheckRequest capped(String model) {
        return request().apiKey(KEY, KeyLimits.UNLIMITED).modelCap(model, CAP).build();
    }

    private void record(String model, String cost) {
        gate.record(usage(q, cost).apiKeyId(KEY).model(model).build());
    }

    private void assertDenied(Decision d, DenyReason reason, Instant resetsAt) {
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.httpStatus()).isEqualTo(429);
        assertThat(d.resetsAt()).isEqualTo(resetsAt);
        assertThat(d.retryAfter()).isEqualTo(Duration.between(q.clock().instant(), resetsAt));
    }

    @Test
    void recordedSpendOnTheModelDeniesTheKeyOnThatModelWithRetryAfterToTheWindowsEnd() {
        Instant first = q.clock().instant();
        assertThat(gate.check(capped(MODEL)).allowed()).isTrue();
        record(MODEL, "3");
        record("other", "4");
        gate.flush(); // queued refills run before the clock jumps past the dirty markers
        q.clock().advance(Duration.ofHours(1));
        assertThat(gate.check(capped(MODEL)).allowed()).as("3 of 5 USD on the model").isTrue();
        record(MODEL, "2");

        assertDenied(gate.check(capped(MODEL)), DenyReason.API_KEY_MODEL_5H_EXCEEDED, first.plus(Duration.ofHours(5)));
        assertThat(gate.check(capped("other")).allowed()).as("4 USD on another model").isTrue();
        assertThat(gate.check(request().apiKey(KEY, KeyLimits.UNLIMITED).build()).allowed()).as("no cap").isTrue();

        gate.flush();
        q.clock().set(first.plus(Duration.ofHours(5)));
        assertThat(gate.check(capped(MODEL)).allowed()).as("a new 5 h window").isTrue();
        record(MODEL, "2");
        assertDenied(gate.check(capped(MODEL)), DenyReason.API_KEY_MODEL_1D_EXCEEDED, first.plus(Duration.ofDays(1)));
    }

    @Test
    void aCheckAnsweredFromTheStoresSeesTheStoredSpendOnTheModel() {
        Instant first = q.clock().instant();
        record(MODEL, "5");
        gate.flush();
        assertThat(q.windowCounters().findKeyModelUsage(USER, KEY, MODEL).orElseThrow().fiveHours()
                .used()).isEqualTo(usd("5").nanos());
        q.cache().clear();

        assertDenied(gate.check(capped(MODEL)), DenyReason.API_KEY_MODEL_5H_EXCEEDED, first.plus(Duration.ofHours(5)));
        assertThat(gate.check(capped("other")).allowed()).isTrue();
    }

    @Test
    void aStoreReadCountsTheSpendOnTheModelStillOnItsWayToTheStoreAndIsNotCached() {
        gate.close();
        q = GateFixture.quota();
        q.balances().set(USER, usd("100"));
        HeldSink sink = new HeldSink(q.usageSink());
        gate = q.gateBuilder().usageSink(sink).build();
        record(MODEL, "2");
        record(MODEL, "3");
        record("other", "4");
        // the writer lags past the dirty markers usage left on the absent entries
        q.clock().advance(InMemoryBillingCache.DEFAULT_DIRTY_TTL.plusSeconds(1));
        Instant first = q.clock().instant(); // the store will start the windows when it stores the usage

        assertDenied(gate.check(capped(MODEL)), DenyReason.API_KEY_MODEL_5H_EXCEEDED, first.plus(Duration.ofHours(5)));
        assertThat(gate.check(capped("other")).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedKeyModelUsage(USER, KEY, MODEL)).as("the store lacks the usage").isEmpty();

        sink.catchUp();
        assertDenied(gate.check(capped(MODEL)), DenyReason.API_KEY_MODEL_5H_EXCEEDED, first.plus(Duration.ofHours(5)));
        gate.flush();
        assertThat(q.cache().cachedKeyModelUsage(USER, KEY, MODEL).orElseThrow().fiveHours().used())
                .as("refilled once the store has it").isEqualTo(usd("5").nanos());
    }

    @Test
    void aReservationHoldsAgainstTheModelCapAndIsRefusedBeyondIt() {
        Reservation first = gate.reserve(capped(MODEL), usd("3"));
        assertThat(first.decision().allowed()).isTrue();
        assertThat(gate.reserve(capped("other"), usd("3")).decision().allowed()).as("another model").isTrue();

        Reservation second = gate.reserve(capped(MODEL), usd("3"));

        assertThat(second.decision().allowed()).isFalse();
        assertThat(second.decision().reason()).isEqualTo(DenyReason.API_KEY_MODEL_5H_EXCEEDED);
        gate.settle(first, usage(q, "1").apiKeyId(KEY).model(MODEL).build());
        assertThat(gate.reserve(capped(MODEL), usd("3")).decision().allowed()).as("1 spent + 3 held").isTrue();
    }
}
