package dev.quota.redis;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Redis key layout (version {@value #LAYOUT_VERSION}). Users are spread over a fixed number of shards
 * ({@link RedisQuotaOptions#shards()}, shard = {@code Math.floorMod(userId, shards)}) and every key carries
 * the hash tag of its shard, {@code {s:<shard>}}: every key one check, record or reservation touches and the
 * shard's usage outbox live in one Redis Cluster slot, so one script can read and write them all. The
 * layout version is part of every key, so keys of an older layout (the per-user tag {@code {u:<id>}} of
 * version 1) are never read as current; they expire on their own.
 *
 * <table>
 *   <caption>Keys (prefix {@code quota}, 16 shards, user 42 in shard 10)</caption>
 *   <tr><th>key</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:bal}</td><td>hash</td><td>balance entry ({@link dev.quota.core.cache.BalanceEntry})</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:sub:<groupId>}</td><td>hash</td><td>subscription entry ({@link dev.quota.core.cache.SubscriptionEntry})</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:pq:<platform>}</td><td>hash</td><td>user × platform quota entry ({@link dev.quota.core.cache.PlatformQuotaEntry})</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:key:<apiKeyId>}</td><td>hash</td><td>API key window usage ({@link dev.quota.core.cache.KeyUsageEntry})</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:km:<apiKeyId>:<n>:<model>}</td><td>hash</td><td>API key window usage on one
 *       model ({@link dev.quota.core.cache.KeyModelUsageEntry}); {@code n} is the model's length in UTF-8 bytes, so
 *       that no model (which may hold {@code :}) makes the key of another entry or a dirty marker</td></tr>
 *   <tr><td>{@code <entry key>:dirty}, e.g. {@code quota:v2:{s:10}:u:42:bal:dirty}</td><td>string</td><td>dirty marker of one of the five entries above
 *       ({@link #dirty}): while it lives (the {@linkplain RedisQuotaOptions#dirtyTtl() dirty TTL}) refills of the entry are refused</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:rpm:<bucketStartMillis>}</td><td>integer</td><td>the user's RPM counter of one minute bucket</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:rpm:g<groupId>:<bucketStartMillis>}</td><td>integer</td><td>the user × group RPM counter</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:done:<requestId>}</td><td>string</td><td>idempotency marker of a recorded request (scope: user × request id)</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:settled:<holdId>}</td><td>string</td><td>idempotency marker of a settled hold</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:u:42:holds}</td><td>hash</td><td>the user's reservations: hold id → JSON {@code {x: expiry ms, e: estimate nanos, s: [scopes]}}</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:outbox}</td><td>hash</td><td>the shard's usage outbox: {@code <userId>:<requestId>} → encoded event</td></tr>
 *   <tr><td>{@code quota:v2:{s:10}:outbox:due}</td><td>sorted set</td><td>the same members, scored by append time or, once claimed, lease end (epoch ms)</td></tr>
 * </table>
 * Immutable and thread-safe.
 */
public final class RedisKeys {

    /** The version of this layout, part of every key. */
    public static final int LAYOUT_VERSION = 2;

    private static final byte[] BALANCE = Ascii.utf8(":bal");
    private static final byte[] SUBSCRIPTION = Ascii.utf8(":sub:");
    private static final byte[] PLATFORM_QUOTA = Ascii.utf8(":pq:");
    private static final byte[] KEY_USAGE = Ascii.utf8(":key:");
    private static final byte[] KEY_MODEL_USAGE = Ascii.utf8(":km:");
    private static final byte[] RPM = Ascii.utf8(":rpm:");
    private static final byte[] RPM_GROUP = Ascii.utf8(":rpm:g");
    private static final byte[] DONE = Ascii.utf8(":done:");
    private static final byte[] SETTLED = Ascii.utf8(":settled:");
    private static final byte[] HOLDS = Ascii.utf8(":holds");
    private static final byte[] DIRTY = Ascii.utf8(":dirty");
    private static final byte[] COLON = Ascii.utf8(":");

    private final String prefix;
    private final int shards;
    /** Per shard: {@code <prefix>:v2:{s:<shard>}:u:}, the start of every user key, built once. */
    private final byte[][] userHeads;
    private final byte[][] outboxKeys;
    private final byte[][] outboxDueKeys;

    /**
     * @param prefix the key prefix (validated by {@link RedisQuotaOptions.Builder#keyPrefix})
     * @param shards the number of shards (validated by {@link RedisQuotaOptions.Builder#shards})
     */
    RedisKeys(String prefix, int shards) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be positive: " + shards);
        }
        this.shards = shards;
        this.userHeads = new byte[shards][];
        this.outboxKeys = new byte[shards][];
        this.outboxDueKeys = new byte[shards][];
        for (int s = 0; s < shards; s++) {
            String shardKey = shardKey(s);
            userHeads[s] = Ascii.utf8(shardKey + ":u:");
            outboxKeys[s] = Ascii.utf8(shardKey + ":outbox");
            outboxDueKeys[s] = Ascii.utf8(shardKey + ":outbox:due");
        }
    }

    /** @return the key prefix */
    public String prefix() {
        return prefix;
    }

    /** @return the number of shards */
    public int shards() {
        return shards;
    }

    /**
     * @param userId the user
     * @return the user's shard, {@code Math.floorMod(userId, shards)}
     */
    public int shard(long userId) {
        return Math.floorMod(userId, shards);
    }

    /**
     * @param shard a shard
     * @return the common start of the shard's keys, including its hash tag, e.g. {@code quota:v2:{s:10}}
     */
    public String shardKey(int shard) {
        checkShard(shard);
        return prefix + ":v" + LAYOUT_VERSION + ":{s:" + shard + "}";
    }

    /**
     * @param userId the user
     * @return the common start of the user's keys, including the shard's hash tag, e.g.
     *         {@code quota:v2:{s:10}:u:42}
     */
    public String user(long userId) {
        return text(userBytes(userId));
    }

    /**
     * @param shard a shard
     * @return the shard's outbox hash ({@code <userId>:<requestId>} → encoded event)
     */
    public String outbox(int shard) {
        return text(outboxBytes(shard));
    }

    /**
     * @param shard a shard
     * @return the shard's outbox sorted set (members as in {@link #outbox}, scored in epoch ms)
     */
    public String outboxDue(int shard) {
        return text(outboxDueBytes(shard));
    }

    /**
     * @param userId the user
     * @param requestId the request id
     * @return the outbox member of the user's request, {@code <userId>:<requestId>}
     */
    public static String outboxMember(long userId, String requestId) {
        return text(outboxMemberBytes(userId, requestId));
    }

    /**
     * @param userId the user
     * @return the balance entry
     */
    public String balance(long userId) {
        return text(balanceBytes(userBytes(userId)));
    }

    /**
     * @param userId the user
     * @param groupId the subscription group
     * @return the subscription entry
     */
    public String subscription(long userId, long groupId) {
        return text(subscriptionBytes(userBytes(userId), groupId));
    }

    /**
     * @param userId the user
     * @param platform the platform
     * @return the user × platform quota entry
     */
    public String platformQuota(long userId, String platform) {
        return text(platformQuotaBytes(userBytes(userId), platform));
    }

    /**
     * @param userId the key's owner
     * @param apiKeyId the API key
     * @return the key usage entry
     */
    public String keyUsage(long userId, long apiKeyId) {
        return text(keyUsageBytes(userBytes(userId), apiKeyId));
    }

    /**
     * @param userId the key's owner
     * @param apiKeyId the API key
     * @param model the model
     * @return the key × model usage entry
     */
    public String keyModelUsage(long userId, long apiKeyId, String model) {
        return text(keyModelUsageBytes(userBytes(userId), apiKeyId, model));
    }

    /**
     * The dirty marker of a cache entry: set when usage met the entry absent or invalid and when the entry
     * is evicted; refills of the entry are refused while it lives. It shares the entry's hash tag, hence its
     * cluster slot.
     *
     * @param entryKey a balance, subscription, platform quota or key usage entry of this layout
     * @return {@code entryKey + ":dirty"}, e.g. {@code quota:v2:{s:10}:u:42:bal:dirty}
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
        return text(rpmUserBytes(userBytes(userId), Ascii.digits(bucketStartMillis)));
    }

    /**
     * @param userId the user
     * @param groupId the group
     * @param bucketStartMillis the epoch-aligned minute bucket start, epoch ms
     * @return the user × group RPM counter
     */
    public String rpmGroup(long userId, long groupId, long bucketStartMillis) {
        return text(rpmGroupBytes(userBytes(userId), groupId, Ascii.digits(bucketStartMillis)));
    }

    /**
     * @param userId the user
     * @param requestId the request id
     * @return the idempotency marker of the request
     */
    public String done(long userId, String requestId) {
        return text(doneBytes(userBytes(userId), requestId));
    }

    /**
     * @param userId the user
     * @param holdId the hold id
     * @return the marker of a settled hold
     */
    public String settled(long userId, String holdId) {
        return text(settledBytes(userBytes(userId), holdId));
    }

    /**
     * @param userId the user
     * @return the user's holds hash
     */
    public String holds(long userId) {
        return text(holdsBytes(userBytes(userId)));
    }

    // ---- the same keys as UTF-8 bytes, each built with one allocation (the adapter's hot path) from the user's
    // part, userBytes, which a call encodes once for all its keys; the String forms above are decoded from these,
    // so the layout is written down once

    byte[] outboxBytes(int shard) {
        checkShard(shard);
        return outboxKeys[shard];
    }

    byte[] outboxDueBytes(int shard) {
        checkShard(shard);
        return outboxDueKeys[shard];
    }

    static byte[] outboxMemberBytes(long userId, String requestId) {
        return Ascii.start().add(userId).add(COLON).add(Objects.requireNonNull(requestId, "requestId")).bytes();
    }

    /**
     * @param userId the user
     * @return the common start of the user's keys ({@link #user}), the first argument of the methods below
     */
    byte[] userBytes(long userId) {
        return Ascii.start().add(userHeads[shard(userId)]).add(userId).bytes();
    }

    static byte[] balanceBytes(byte[] user) {
        return Ascii.start().add(user).add(BALANCE).bytes();
    }

    static byte[] subscriptionBytes(byte[] user, long groupId) {
        return Ascii.start().add(user).add(SUBSCRIPTION).add(groupId).bytes();
    }

    static byte[] platformQuotaBytes(byte[] user, String platform) {
        return Ascii.start().add(user).add(PLATFORM_QUOTA).add(Objects.requireNonNull(platform, "platform")).bytes();
    }

    static byte[] keyUsageBytes(byte[] user, long apiKeyId) {
        return Ascii.start().add(user).add(KEY_USAGE).add(apiKeyId).bytes();
    }

    static byte[] keyModelUsageBytes(byte[] user, long apiKeyId, String model) {
        byte[] name = Ascii.utf8(Objects.requireNonNull(model, "model"));
        return Ascii.start().add(user).add(KEY_MODEL_USAGE).add(apiKeyId).add(COLON).add(name.length).add(COLON)
                .add(name).bytes();
    }

    /** @param bucketStart the bucket's start, epoch ms, as its decimal digits ({@link Ascii#digits}) */
    static byte[] rpmUserBytes(byte[] user, byte[] bucketStart) {
        return Ascii.start().add(user).add(RPM).add(bucketStart).bytes();
    }

    /** @param bucketStart the bucket's start, epoch ms, as its decimal digits ({@link Ascii#digits}) */
    static byte[] rpmGroupBytes(byte[] user, long groupId, byte[] bucketStart) {
        return Ascii.start().add(user).add(RPM_GROUP).add(groupId).add(COLON).add(bucketStart).bytes();
    }

    static byte[] doneBytes(byte[] user, String requestId) {
        return Ascii.start().add(user).add(DONE).add(Objects.requireNonNull(requestId, "requestId")).bytes();
    }

    static byte[] settledBytes(byte[] user, String holdId) {
        return Ascii.start().add(user).add(SETTLED).add(Objects.requireNonNull(holdId, "holdId")).bytes();
    }

    static byte[] holdsBytes(byte[] user) {
        return Ascii.start().add(user).add(HOLDS).bytes();
    }

    static byte[] dirtyBytes(byte[] entryKey) {
        return Ascii.start().add(entryKey).add(DIRTY).bytes();
    }

    private void checkShard(int shard) {
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard must be between 0 and " + (shards - 1) + ": " + shard);
        }
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
