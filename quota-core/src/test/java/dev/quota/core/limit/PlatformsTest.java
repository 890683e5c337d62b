package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.quota.core.UsageEvent;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Platform names are safe to embed in cache keys and rows. */
class PlatformsTest {

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "gemini-2", "aws.bedrock", "x_y", "A"})
    void simpleNamesAreAccepted(String name) {
        assertThat(CheckRequest.builder(1).platform(name).build().platform()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic:dirty", "a b", " ", "-x", "ünicode", "a\\tb"})
    void namesWithSeparatorsOrSpacesAreRejectedEverywhere(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> CheckRequest.builder(1).platform(name))
                .withMessageContaining("platform");
        assertThatIllegalArgumentException().isThrownBy(() -> UsageEvent.builder("r", 1).platform(name)
                .occurredAt(Instant.EPOCH).build()).withMessageContaining("platform");
        assertThatIllegalArgumentException().isThrownBy(() -> PlatformQuotaDefaults.builder()
                .system(name, PeriodLimits.UNLIMITED)).withMessageContaining("platform");
    }

    @org.junit.jupiter.api.Test
    void aTooLongNameIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Platforms.requireValid("p".repeat(65), "platform"));
        assertThat(Platforms.requireValid("p".repeat(64), "platform")).hasSize(64);
    }
}
