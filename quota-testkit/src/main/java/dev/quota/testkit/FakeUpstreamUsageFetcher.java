package dev.quota.testkit;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UpstreamUsage;
import dev.quota.core.spi.UpstreamUsageFetcher;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted {@link UpstreamUsageFetcher}: answers each account with the windows a test configured
 * ({@link #respond}), an empty list for unknown accounts, and {@link BackendUnavailableException} for
 * accounts told to fail ({@link #failFor(long)}, or with a given exception: {@link #failFor(long, RuntimeException)}) or whenever {@link #faults()} injects a failure. Counts fetches
 * per account so tests can assert caching.
 *
 * <p>Thread-safe.
 */
public final class FakeUpstreamUsageFetcher extends FaultInjectedFake implements UpstreamUsageFetcher {

    private final Map<Long, List<UpstreamUsage>> answers = new ConcurrentHashMap<>();
    private final Map<Long, RuntimeException> failing = new ConcurrentHashMap<>();
    private final Map<Long, Long> fetches = new ConcurrentHashMap<>();

    /** Creates a fetcher that knows no account, with its own {@link Faults}. */
    public FakeUpstreamUsageFetcher() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates a fetcher that knows no account.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public FakeUpstreamUsageFetcher(Faults faults) {
        super(faults);
    }

    /**
     * Sets what the provider reports for an account (replacing any previous answer) and stops it failing.
     *
     * @param accountId the upstream account
     * @param windows the windows to report, in order
     * @return this
     */
    public FakeUpstreamUsageFetcher respond(long accountId, List<UpstreamUsage> windows) {
        answers.put(accountId, List.copyOf(windows));
        failing.remove(accountId);
        return this;
    }

    /**
     * Varargs form of {@link #respond(long, List)}.
     *
     * @param accountId the upstream account
     * @param windows the windows to report, in order
     * @return this
     */
    public FakeUpstreamUsageFetcher respond(long accountId, UpstreamUsage... windows) {
        return respond(accountId, List.of(windows));
    }

    /**
     * Makes every fetch of {@code accountId} throw {@link BackendUnavailableException} until
     * {@link #respond} is called for it again.
     *
     * @param accountId the upstream account
     * @return this
     */
    public FakeUpstreamUsageFetcher failFor(long accountId) {
        return failFor(accountId, new BackendUnavailableException(
                "upstream usage of account " + accountId + " unavailable (scripted)"));
    }

    /**
     * Makes every fetch of {@code accountId} throw {@code failure} until {@link #respond} is called for it again,
     * e.g. an {@link dev.quota.core.account.UpstreamAuthenticationException} for an expired token or an
     * {@link dev.quota.core.account.UpstreamRateLimitedException} carrying a retry delay.
     *
     * @param accountId the upstream account
     * @param failure what every fetch throws
     * @return this
     */
    public FakeUpstreamUsageFetcher failFor(long accountId, RuntimeException failure) {
        failing.put(accountId, Objects.requireNonNull(failure, "failure"));
        return this;
    }

    /**
     * @param accountId the upstream account
     * @return how many times it was fetched (including failed fetches)
     */
    public long fetches(long accountId) {
        return fetches.getOrDefault(accountId, 0L);
    }

    @Override
    public List<UpstreamUsage> fetch(long accountId) {
        fetches.merge(accountId, 1L, Long::sum);
        faults.beforeCall("UpstreamUsageFetcher.fetch");
        RuntimeException failure = failing.get(accountId);
        if (failure != null) {
            throw failure;
        }
        return answers.getOrDefault(accountId, List.of());
    }
}
