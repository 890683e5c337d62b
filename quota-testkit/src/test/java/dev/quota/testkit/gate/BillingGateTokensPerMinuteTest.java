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
import dev.quota.core.limit.QuotaWindows;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API key's tokens per minute through the gate: recorded input + output tokens deny the key like RPM. */
class BillingGateTokensPerMinuteTest extends GateTest {

    private static final CheckRequest LIMITED = request().apiKey(KEY, KeyLimits.UNLIMITED, Limit.of(1_000)).build();

    private BillingGate gate;

    @BeforeEach
    void setUp() {
        q.balances().set(USER, usd("100"));
        gate = openGate();
    }

    private void recordTokens(long input, long output) {
        gate.record(usage(q, "0.01").apiKeyId(KEY).tokens(input, output, 10_000, 10_000).build());
    }

    private Instant nextMinute() {
        return QuotaWindows.TPM.bucketStart(q.clock().instant()).plus(Duration.ofMinutes(1));
    }

    private void assertTpmDenied(Decision d) {
        Instant now = q.clock().instant();
        assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_TPM_EXCEEDED);
        assertThat(d.httpStatus()).isEqualTo(429);
        assertThat(d.resetsAt()).isEqualTo(nextMinute());
        assertThat(d.retryAfter()).isEqualTo(Duration.between(now, nextMinute()));
    }

    @Test
    void recordedTokensDenyTheKeyWithRetryAfterToTheNextMinute() {
        assertThat(gate.check(LIMITED).allowed()).isTrue();
        recordTokens(600, 399);
        assertThat(gate.check(LIMITED).allowed()).as("999 of 1,000 tokens; cache tokens do not count").isTrue();
        recordTokens(1, 0);

        assertTpmDenied(gate.check(LIMITED));
        assertThat(gate.check(request().apiKey(KEY, KeyLimits.UNLIMITED).build()).allowed())
                .as("a key without the limit").isTrue();

        q.clock().set(nextMinute());
        assertThat(gate.check(LIMITED).allowed()).isTrue();
    }

    @Test
    void aCheckAnsweredFromTheStoresSeesTheStoredTokens() {
        recordTokens(700, 300);
        gate.flush();
        q.cache().clear();

        assertTpmDenied(gate.check(LIMITED));
    }

    @Test
    void aReservationIsRefusedOnceTheMinutesTokensReachTheCap() {
        Reservation first = gate.reserve(LIMITED, usd("1"));
        assertThat(first.decision().allowed()).isTrue();
        recordTokens(1_000, 0);

        Reservation second = gate.reserve(LIMITED, usd("1"));

        assertTpmDenied(second.decision());
    }
}
