package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageFilterTest {

    private static final Instant T = Instant.parse("2026-11-18T10:00:00Z");

    private static final UsageEvent EVENT = UsageEvent.builder("r", 42).occurredAt(T).apiKeyId(9).accountId(3)
            .groupId(7).model("claude").platform("anthropic").build();

    @Test
    void matches_everything_by_default() {
        assertThat(UsageFilter.all().matches(EVENT)).isTrue();
    }

    @Test
    void matches_only_when_every_criterion_matches() {
        UsageFilter f = UsageFilter.all().withUser(42).withApiKey(9).withAccount(3).withGroup(7)
                .withModel("claude").withPlatform("anthropic");

        assertThat(f.matches(EVENT)).isTrue();
        assertThat(f.withUser(43).matches(EVENT)).isFalse();
        assertThat(f.withApiKey(8).matches(EVENT)).isFalse();
        assertThat(f.withModel("gpt").matches(EVENT)).isFalse();
    }

    @Test
    void a_criterion_on_a_field_the_event_lacks_does_not_match() {
        UsageEvent bare = UsageEvent.builder("r", 42).occurredAt(T).build();

        assertThat(UsageFilter.all().withApiKey(9).matches(bare)).isFalse();
        assertThat(UsageFilter.all().withModel("claude").matches(bare)).isFalse();
    }

    @Test
    void the_time_range_includes_from_and_excludes_to() {
        assertThat(UsageFilter.all().between(T, T.plusSeconds(1)).matches(EVENT)).isTrue();
        assertThat(UsageFilter.all().between(T.minusSeconds(1), T).matches(EVENT)).isFalse();
    }

    @Test
    void rejects_a_range_that_ends_before_it_starts() {
        assertThatThrownBy(() -> UsageFilter.all().between(T, T.minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
