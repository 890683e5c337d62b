package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import java.util.OptionalLong;

/**
 * User × group requests-per-minute overrides: an override replaces the group's limit for that user;
 * 0 exempts the user at group level. Failures are reported as {@link BackendUnavailableException}.
 * Thread-safe.
 */
public interface RpmOverrideStore {

    /**
     * @param userId the user
     * @param groupId the group
     * @return the override, empty when there is none
     */
    OptionalLong find(long userId, long groupId);

    /**
     * @param userId the user
     * @param groupId the group
     * @param rpm the override, not negative (0 = exempt)
     * @throws IllegalArgumentException if {@code rpm} is negative
     */
    void set(long userId, long groupId, long rpm);

    /**
     * Removes an override; a no-op when there is none.
     *
     * @param userId the user
     * @param groupId the group
     */
    void remove(long userId, long groupId);
}
