package dev.quota.core.limit;

import static dev.quota.core.limit.EvaluatorFixture.EVALUATOR;
import static dev.quota.core.limit.EvaluatorFixture.KEY;
import static dev.quota.core.limit.EvaluatorFixture.NOW;
import static dev.quota.core.limit.EvaluatorFixture.USER;
import static dev.quota.core.limit.EvaluatorFixture.balanceRequest;
import static dev.quota.core.limit.EvaluatorFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An API key's tokens per minute: input + output tokens in the epoch-aligned minute, denied like RPM. */
class TokensPerMinuteCheckTest {

    private static final Instant MINUTE = QuotaWindows.TPM.bucketStart(NOW);
    private static final CheckRequest REQUEST = balanceRequest().apiKey(KEY, KeyLimits.UNLIMITED, Limit.of(1_000)).build();

    private static KeyUsage tokens(long used, Instant start) {
        return new KeyUsage(USER, KEY, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY,
                new WindowUsage(used, start));
    }

    @Test
    void deniesOnceTheMinutesTokensReachTheCapWithRetryAfterToTheNextMinute() {
        Decision d = EVALUATOR.evaluateBilling(REQUEST, state().keyUsage(tokens(1_000, MINUTE)).build(), NOW);

        assertThat(d.reason()).isEqualTo(DenyReason.API_KEY_TPM_EXCEEDED);
        assertThat(d.httpStatus()).isEqualTo(429);
        assertThat(d.resetsAt()).isEqualTo(MINUTE.plus(Duration.ofMinutes(1)));
        assertThat(d.retryAfter()).isEqualTo(Duration.between(NOW, MINUTE.plus(Duration.ofMinutes(1))));
    }

    @Test
    void allowsBelowTheCapAndOnceTheMinuteIsOver() {
        assertThat(EVALUATOR.evaluateBilling(REQUEST, state().keyUsage(tokens(999, MINUTE)).build(), NOW).allowed())
                .isTrue();
        Instant lastMinute = MINUTE.minus(Duration.ofMinutes(1));
        assertThat(EVALUATOR.evaluateBilling(REQUEST, state().keyUsage(tokens(5_000, lastMinute)).build(), NOW)
                .allowed()).isTrue();
    }

    @Test
    void aHoldIsRefusedAtTheCapButTokensAreNotHeld() {
        Holds held = new Holds(0, 0, 0, 1_000_000);
        assertThat(EVALUATOR.evaluateHold(REQUEST, state().keyUsage(tokens(999, MINUTE)).build(), held, 5, NOW)
                .allowed()).isTrue();
        assertThat(EVALUATOR.evaluateHold(REQUEST, state().keyUsage(tokens(1_000, MINUTE)).build(), held, 5, NOW)
                .reason()).isEqualTo(DenyReason.API_KEY_TPM_EXCEEDED);
    }

    @Test
    void recordedTokensAreInputPlusOutputInTheMinute() {
        KeyUsage u = KeyUsage.empty(USER, KEY).addUsage(10, 300, NOW).addUsage(5, 200, NOW.plusSeconds(1));

        assertThat(u.tokensMinute()).isEqualTo(new WindowUsage(500, MINUTE));
        assertThat(u.addUsage(1, 7, MINUTE.plus(Duration.ofMinutes(1))).tokensMinute())
                .isEqualTo(new WindowUsage(7, MINUTE.plus(Duration.ofMinutes(1))));
    }
}
