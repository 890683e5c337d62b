package dev.quota.core.spi;

import dev.quota.core.usage.UserCounts;

/**
 * The gateway's count of its users and API keys, which the statistics summary carries
 * ({@link dev.quota.core.stats.StatsAggregator#refreshSummary()}). Quota does not own users or keys, so the
 * gateway implements this port (typically four {@code COUNT(*)} queries on its own tables). Called once per
 * summary refresh, never on a request path. Implementations must be thread-safe; a failure should be thrown as
 * {@link dev.quota.core.BackendUnavailableException}.
 */
@FunctionalInterface
public interface UserDirectory {

    /** A directory that reports no users and no keys ({@link UserCounts#NONE}); the default. */
    UserDirectory NONE = () -> UserCounts.NONE;

    /** @return the current counts */
    UserCounts counts();
}
