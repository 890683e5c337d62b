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
    @ValueSource(strings = {"anthropic", "openai", "gemini-2", "aws.bedrock", "x_y", "A", "9", "Z-._9az", "0a"})
    void simpleNamesAreAccepted(String name) {
        assertThat(CheckRequest.builder(1).platform(name).build().platform()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic:dirty", "a b", " ", "-x", "ünicode", "a\\tb", ".x", "_x", "", "aé", "a/b",
        "a@b", "a[b", "a`b", "a{b", "Ä", "a\u0660"})
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

    @org.junit.jupiter.api.Test
    void theRuleIsTheRegexItReplaced() {
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        String alphabet = "aZ09._-:/ @[`{éÄ\u0660\t";
        java.util.Random rnd = new java.util.Random(64);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = rnd.nextInt(4) == 0 ? 60 + rnd.nextInt(8) : rnd.nextInt(6);
            for (int k = 0; k < length; k++) {
                name.append(rnd.nextInt(3) == 0 ? alphabet.charAt(rnd.nextInt(alphabet.length())) : 'p');
            }
            String n = name.toString();
            boolean accepted;
            try {
                Platforms.requireValid(n, "platform");
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            assertThat(accepted).as("'%s'", n).isEqualTo(regex.matcher(n).matches());
        }
    }
}
