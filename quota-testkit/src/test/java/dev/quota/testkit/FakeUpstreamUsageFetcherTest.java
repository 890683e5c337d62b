package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.account.UpstreamAuthenticationException;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UpstreamUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeUpstreamUsageFetcherTest {

    private static final UpstreamUsage FIVE_HOURS = new UpstreamUsage("5h", 12.5, Instant.parse("2025-03-10T13:00:00Z"));

    @Test
    void unknownAccountsHaveNoWindows() {
        assertThat(new FakeUpstreamUsageFetcher().fetch(3)).isEmpty();
    }

    @Test
    void failForFailsOnlyThatAccountUntilItRespondsAgain() {
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher().respond(3, FIVE_HOURS).respond(4, FIVE_HOURS);
        fetcher.failFor(3);
        assertThatThrownBy(() -> fetcher.fetch(3)).isInstanceOf(BackendUnavailableException.class);
        assertThat(fetcher.fetch(4)).containsExactly(FIVE_HOURS);
        fetcher.respond(3, FIVE_HOURS);
        assertThat(fetcher.fetch(3)).containsExactly(FIVE_HOURS);
    }

    @Test
    void fetchesAreCountedPerAccountFailuresIncluded() {
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher().respond(3, FIVE_HOURS);
        fetcher.fetch(3);
        fetcher.faults().failNext(1);
        assertThatThrownBy(() -> fetcher.fetch(3)).isInstanceOf(BackendUnavailableException.class);
        assertThat(fetcher.fetches(3)).isEqualTo(2);
        assertThat(fetcher.fetches(4)).isZero();
    }

    @Test
    void failForWithAnExceptionThrowsThatExceptionUntilItRespondsAgain() {
        UpstreamAuthenticationException expired = new UpstreamAuthenticationException(3, 401, "token expired");
        FakeUpstreamUsageFetcher fetcher = new FakeUpstreamUsageFetcher().failFor(3, expired);
        assertThatThrownBy(() -> fetcher.fetch(3)).isSameAs(expired);
        fetcher.respond(3, FIVE_HOURS);
        assertThat(fetcher.fetch(3)).containsExactly(FIVE_HOURS);
    }
}
