package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import java.time.Instant;

/**
 * Requests-per-minute counters in fixed, epoch-aligned one-minute buckets. A counter is created with its
 * expiry in the same atomic step as its first increment, so it never lives forever. Thread-safe.
 */
public interface RpmCounter {

    /**
     * Increments the counter of {@code bucketStart} and returns the count including this request.
     *
     * @param userId the user
     * @param groupId the group for the user × group counter, or {@code null} for the user's global counter
     * @param bucketStart the start of the minute bucket (from the service's clock)
     * @return the count in that bucket after incrementing
     * @throws BackendUnavailableException when the backend fails
     */
    long increment(long userId, Long groupId, Instant bucketStart);
}
