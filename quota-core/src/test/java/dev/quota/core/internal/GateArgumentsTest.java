package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import org.junit.jupiter.api.Test;

/** The argument checks the gate's calls share: known platforms and the maximum charge. */
class GateArgumentsTest {

    private final GateFixture f = new GateFixture();
    private final GateArguments arguments = new GateArguments(
            f.config(b -> b.platforms("anthropic").maxCharge(Money.ofUnits(10))));

    @Test
    void platformsOutsideTheConfiguredSetAreRefused() {
        assertThatCode(() -> arguments.requireKnownPlatform("anthropic")).doesNotThrowAnyException();
        assertThatCode(() -> arguments.requireKnownPlatform(null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> arguments.requireKnownPlatform("openai"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openai");
        GateArguments any = new GateArguments(f.config());
        assertThatCode(() -> any.requireKnownPlatform("openai")).doesNotThrowAnyException();
    }

    @Test
    void eventsAndEstimatesAboveTheMaximumChargeAreRefused() {
        assertThatCode(() -> arguments.requireValid(GateFixture.usage("r1", 1, "10"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> arguments.requireValid(GateFixture.usage("r2", 1, "10.01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds maxCharge");
        assertThatThrownBy(() -> arguments.requireValid(null)).isInstanceOf(IllegalArgumentException.class);
        UsageEvent elsewhere = UsageEvent.builder("r3", 1).platform("openai").occurredAt(GateFixture.NOW).build();
        assertThatThrownBy(() -> arguments.requireValid(elsewhere)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> arguments.requireValidEstimate(Money.ZERO)).doesNotThrowAnyException();
        assertThatThrownBy(() -> arguments.requireValidEstimate(Money.parse("-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arguments.requireValidEstimate(Money.ofUnits(11)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GateArguments.requireNonNull(null, "request"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("request must not be null");
    }
}
