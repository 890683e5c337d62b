package dev.quota.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UpstreamUsageFetcher} passes. Because a real fetcher talks to a provider, the
 * subclass builds one whose provider (a stub server, a scripted client) reports the given windows, and one
 * whose provider fails.
 */
public abstract class UpstreamUsageFetcherContract {

    private static final long ACCOUNT = 3;
    private static final List<UpstreamUsage> WINDOWS = List.of(
            new UpstreamUsage("5h", 42.5, Instant.parse("2025-03-10T13:00:00Z")),
            new UpstreamUsage("7d", 7.0, null));

    /** Creates the contract; subclasses supply the fetchers. */
    protected UpstreamUsageFetcherContract() {
    }

    /**
     * Creates a fetcher whose provider reports {@code windowsByAccount} and knows no other account.
     *
     * @param windowsByAccount the windows each account reports, in order
     * @return the fetcher
     */
    protected abstract UpstreamUsageFetcher createFetcher(Map<Long, List<UpstreamUsage>> windowsByAccount);

    /**
     * Creates a fetcher whose provider fails (unreachable, 5xx, unparsable answer) for every account.
     *
     * @return the fetcher
     */
    protected abstract UpstreamUsageFetcher createFailingFetcher();

    @Test
    void fetchReturnsTheReportedWindowsInOrder() {
        UpstreamUsageFetcher fetcher = createFetcher(Map.of(ACCOUNT, WINDOWS));
        assertThat(fetcher.fetch(ACCOUNT)).containsExactlyElementsOf(WINDOWS);
    }

    @Test
    void anAccountWithoutWindowsGivesAnEmptyList() {
        UpstreamUsageFetcher fetcher = createFetcher(Map.of(ACCOUNT, List.of()));
        assertThat(fetcher.fetch(ACCOUNT)).isEmpty();
    }

    @Test
    void accountsAreNotMixedUp() {
        List<UpstreamUsage> other = List.of(new UpstreamUsage("5h", 99.0, Instant.parse("2025-03-10T09:00:00Z")));
        UpstreamUsageFetcher fetcher = createFetcher(Map.of(ACCOUNT, WINDOWS, ACCOUNT + 1, other));
        assertThat(fetcher.fetch(ACCOUNT + 1)).containsExactlyElementsOf(other);
        assertThat(fetcher.fetch(ACCOUNT)).containsExactlyElementsOf(WINDOWS);
    }

    @Test
    void providerFailureIsReportedAsBackendUnavailable() {
        UpstreamUsageFetcher fetcher = createFailingFetcher();
        assertThatThrownBy(() -> fetcher.fetch(ACCOUNT)).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void concurrentFetchesAllSeeTheSameWindows() {
        UpstreamUsageFetcher fetcher = createFetcher(Map.of(ACCOUNT, WINDOWS));
        Set<List<UpstreamUsage>> seen = ConcurrentHashMap.newKeySet();
        Race.run(8, 5, (thread, op) -> seen.add(List.copyOf(fetcher.fetch(ACCOUNT))));
        assertThat(seen).containsExactly(WINDOWS);
    }
}
