package dev.quota.redis;

import java.util.Objects;

/**
 * The Redis key layout. Every key carries the hash tag of the user who owns it, {@code {u:<userId>}}, so
 * every key one request touches lives in one Redis Cluster slot and one script can read and write them
 * all:
 *
 * <table>
 *   <caption>Keys (prefix {@code quota})</caption>
 *   <tr><th>key</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code quota:{u:42}:bal}</td><td>hash</td><td>balance entry ({@link dev.quota.core.cache.BalanceEntry})</td></tr>
 *   <tr><td>{@code quota:{u:42}:sub:<groupId>}</td><td>hash</td><td>subscription entry ({@link dev.quota.core.cache.SubscriptionEntry})</td></tr>
 *   <tr><td>{@code quota:{u:42}:pq:<platform>}</td><td>hash</td><td>user × platform quota entry ({@link dev.quota.core.cache.PlatformQuotaEntry})</td></tr>
 *   <tr><td>{@code quota:{u:42}:key:<apiKeyId>}</td><td>hash</td><td>API key window usage ({@link dev.quota.core.cache.KeyUsageEntry})</td></tr>
 *   <tr><td>{@code <entry key>:dirty}, e.g. {@code quota:{u:42}:bal:dirty}</td><td>string</td><td>dirty marker of one of the four entries above
 *       ({@link #dirty}): while it lives (the {@linkplain RedisQuotaOptions#dirtyTtl() dirty TTL}) refills of the entry are refused</td></tr>
 *   <tr><td>{@code quota:{u:42}:rpm:<bucketStartMillis>}</td><td>integer</td><td>the user's RPM counter of one minute bucket</td></tr>
 *   <tr><td>{@code quota:{u:42}:rpm:g<groupId>:<bucketStartMillis>}</td><td>integer</td><td>the user × group RPM counter</td></tr>
 *   <tr><td>{@code quota:{u:42}:done:<requestId>}</td><td>string</td><td>idempotency marker of a recorded request</td></tr>
 *   <tr><td>{@code quota:{u:42}:settled:<holdId>}</td><td>string</td><td>idempotency marker of a settled hold</td></tr>
 *   <tr><td>{@code quota:{u:42}:holds}</td><td>hash</td><td>the user's reservations: hold id → JSON {@code {x: expiry ms, e: estimate nanos, s: [scopes]}}</td></tr>
 * </table>
 * Immutable and thread-safe.
 */
public final class RedisKeys {

    private final String prefix;

    /**
     * @param prefix the key prefix (validated by {@link RedisQuotaOptions.Builder#keyPrefix})
     */
    RedisKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** @return the key prefix */
    public String prefix() {
        return prefix;
    }

    /**
     * @param userId the user
     * @return the common start of the user's keys, including the hash tag, e.g. {@code quota:{u:42}}
     */
    public String user(long userId) {
        return prefix + ":{u:" + userId + "}";
    }

    /**
     * @param userId the user
     * @return the balance entry
     */
    public String balance(long userId) {
        return balanceOf(user(userId));
    }

    /**
     * @param userId the user
     * @param groupId the subscription group
     * @return the subscription entry
     */
    public String subscription(long userId, long groupId) {
        return subscriptionOf(user(userId), groupId);
    }

    /**
     * @param userId the user
     * @param platform the platform
     * @return the user × platform quota entry
     */
    public String platformQuota(long userId, String platform) {
        return platformQuotaOf(user(userId), platform);
    }

    /**
     * @param userId the key's owner
     * @param apiKeyId the API key
     * @return the key usage entry
     */
    public String keyUsage(long userId, long apiKeyId) {
        return keyUsageOf(user(userId), apiKeyId);
    }

    /**
     * The dirty marker of a cache entry: set when usage met the entry absent or invalid and when the entry
     * is evicted; refills of the entry are refused while it lives. It shares the entry's hash tag, hence its
     * cluster slot.
     *
     * @param entryKey a balance, subscription, platform quota or key usage entry of this layout
     * @return {@code entryKey + ":dirty"}, e.g. {@code quota:{u:42}:bal:dirty}
     */
    public String dirty(String entryKey) {
        return Objects.requireNonNull(entryKey, "entryKey") + ":dirty";
    }

    /**
     * @param userId the user
     * @param bucketStartMillis the epoch-aligned minute bucket start, epoch ms
     * @return the user's RPM counter
     */
    public String rpmUser(long userId, long bucketStartMillis) {
        return rpmUserOf(user(userId), bucketStartMillis);
    }

    /**
     * @param userId the user
     * @param groupId the group
     * @param bucketStartMillis the epoch-aligned minute bucket start, epoch ms
     * @return the user × group RPM counter
     */
    public String rpmGroup(long userId, long groupId, long bucketStartMillis) {
        return rpmGroupOf(user(userId), groupId, bucketStartMillis);
    }

    /**
     * @param userId the user
     * @param requestId the request id
     * @return the idempotency marker of the request
     */
    public String done(long userId, String requestId) {
        return doneOf(user(userId), requestId);
    }

    /**
     * @param userId the user
     * @param holdId the hold id
     * @return the marker of a settled hold
     */
    public String settled(long userId, String holdId) {
        return settledOf(user(userId), holdId);
    }

    /**
     * @param userId the user
     * @return the user's holds hash
     */
    public String holds(long userId) {
        return holdsOf(user(userId));
    }

    // ---- the same keys from a user's key start ({@link #user}), built once per call by the adapter

    String balanceOf(String userKey) {
        return userKey + ":bal";
    }

    String subscriptionOf(String userKey, long groupId) {
        return userKey + ":sub:" + groupId;
    }

    String platformQuotaOf(String userKey, String platform) {
        return userKey + ":pq:" + platform;
    }

    String keyUsageOf(String userKey, long apiKeyId) {
        return userKey + ":key:" + apiKeyId;
    }

    String rpmUserOf(String userKey, long bucketStartMillis) {
        return userKey + ":rpm:" + bucketStartMillis;
    }

    String rpmGroupOf(String userKey, long groupId, long bucketStartMillis) {
        return userKey + ":rpm:g" + groupId + ":" + bucketStartMillis;
    }

    String doneOf(String userKey, String requestId) {
        return userKey + ":done:" + requestId;
    }

    String settledOf(String userKey, String holdId) {
        return userKey + ":settled:" + holdId;
    }

    String holdsOf(String userKey) {
        return userKey + ":holds";
    }
}
