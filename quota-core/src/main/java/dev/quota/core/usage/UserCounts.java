package dev.quota.core.usage;

/**
 * How many users and API keys the gateway has, as its own directory reports them (Quota does not own users or
 * keys; see {@link dev.quota.core.spi.UserDirectory}). Immutable.
 *
 * @param totalUsers all users, at least 0
 * @param activeUsers users the gateway considers active, 0 to {@code totalUsers}
 * @param totalApiKeys all API keys, at least 0
 * @param activeApiKeys API keys the gateway considers active, 0 to {@code totalApiKeys}
 */
public record UserCounts(long totalUsers, long activeUsers, long totalApiKeys, long activeApiKeys) {

    /** No users and no keys (what a gateway without a directory reports). */
    public static final UserCounts NONE = new UserCounts(0, 0, 0, 0);

    /**
     * Rejects negative counts and more active than total.
     *
     * @param totalUsers all users
     * @param activeUsers active users
     * @param totalApiKeys all API keys
     * @param activeApiKeys active API keys
     */
    public UserCounts {
        if (totalUsers < 0 || activeUsers < 0 || activeUsers > totalUsers) {
            throw new IllegalArgumentException("user counts must satisfy 0 <= active <= total: active " + activeUsers
                    + ", total " + totalUsers);
        }
        if (totalApiKeys < 0 || activeApiKeys < 0 || activeApiKeys > totalApiKeys) {
            throw new IllegalArgumentException("API key counts must satisfy 0 <= active <= total: active "
                    + activeApiKeys + ", total " + totalApiKeys);
        }
    }
}
