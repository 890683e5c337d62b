package dev.quota.redis;

import dev.quota.core.limit.QuotaWindows;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Settings of the Redis adapter: key prefix, entry lifetimes and the jitter that spreads refills.
 * Immutable and thread-safe; build with {@link #builder()}, which validates every value as it is set.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>used for</th></tr>
 *   <tr><td>{@link Builder#keyPrefix}</td><td>{@code quota}</td><td>first segment of every key</td></tr>
 *   <tr><td>{@link Builder#entryTtl}</td><td>5 min</td><td>balance, subscription and platform quota entries</td></tr>
 *   <tr><td>{@link Builder#entryTtlJitter}</td><td>30 s</td><td>random amount <em>subtracted</em> from the entry TTL</td></tr>
 *   <tr><td>{@link Builder#keyUsageTtl}</td><td>7 d</td><td>API key window usage (the longest key window)</td></tr>
 *   <tr><td>{@link Builder#idempotencyTtl}</td><td>24 h</td><td>request-id and hold-id markers that make recording idempotent</td></tr>
 *   <tr><td>{@link Builder#rpmCounterTtl}</td><td>2 min</td><td>requests-per-minute bucket counters (bucket + margin)</td></tr>
 *   <tr><td>{@link Builder#dirtyTtl}</td><td>10 s</td><td>dirty markers: refills of an entry stay blocked this long after usage met it absent or after an eviction</td></tr>
 *   <tr><td>{@link Builder#shards}</td><td>16</td><td>users are spread over this many cluster hash tags {@code {s:<n>}} (see {@link RedisKeys}); all instances must agree</td></tr>
 *   <tr><td>{@link Builder#outbox}</td><td>on</td><td>every newly applied usage is appended to its shard's outbox in the same script call (see {@link RedisQuota#usageOutbox()})</td></tr>
 *   <tr><td>{@link Builder#functions}</td><td>on</td><td>on Redis 7, the scripts run as one function library ({@code FUNCTION LOAD}, {@code FCALL}); {@code EVALSHA} on older servers or when off</td></tr>
 *   <tr><td>{@link Builder#pipelining}</td><td>0 (off)</td><td>Redis calls of all threads go out as pipelines on this many dedicated connections of a standalone {@code RedisClient}</td></tr>
 *   <tr><td>{@link Builder#random}</td><td>{@link ThreadLocalRandom}</td><td>the jitter</td></tr>
 * </table>
 */
public final class RedisQuotaOptions {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "quota";
    /** The default TTL of balance, subscription and platform quota entries (the seed's 5 minutes). */
    public static final Duration DEFAULT_ENTRY_TTL = Duration.ofMinutes(5);
    /** The default maximum jitter subtracted from {@link #DEFAULT_ENTRY_TTL} (the seed's 30 seconds). */
    public static final Duration DEFAULT_ENTRY_TTL_JITTER = Duration.ofSeconds(30);
    /** The default TTL of API key usage entries: the longest key window, 7 days. */
    public static final Duration DEFAULT_KEY_USAGE_TTL = Duration.ofDays(7);
    /** The default TTL of idempotency markers. */
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    /** The default TTL of RPM bucket counters: the one-minute bucket plus one minute of margin. */
    public static final Duration DEFAULT_RPM_COUNTER_TTL = Duration.ofMinutes(2);
    /** The default TTL of dirty markers: 10 seconds. */
    public static final Duration DEFAULT_DIRTY_TTL = Duration.ofSeconds(10);

    /** The default number of shards. */
    public static final int DEFAULT_SHARDS = 16;
    /** The most shards accepted (a Redis Cluster has 16384 slots). */
    public static final int MAX_SHARDS = 16384;
    /** The most pipelined connections accepted. */
    public static final int MAX_PIPELINED_CONNECTIONS = 64;

    private static final Duration MIN_DIRTY_TTL = Duration.ofMillis(100);
    private static final RedisQuotaOptions DEFAULTS = builder().build();

    private final String keyPrefix;
    private final Duration entryTtl;
    private final Duration entryTtlJitter;
    private final Duration keyUsageTtl;
    private final Duration idempotencyTtl;
    private final Duration rpmCounterTtl;
    private final Duration dirtyTtl;
    private final int shards;
    private final boolean outboxEnabled;
    private final boolean functionsEnabled;
    private final int pipelining;
    private final RandomGenerator random;

    private RedisQuotaOptions(Builder b) {
        this.keyPrefix = b.keyPrefix;
        this.entryTtl = b.entryTtl;
        this.entryTtlJitter = b.entryTtlJitter;
        this.keyUsageTtl = b.keyUsageTtl;
        this.idempotencyTtl = b.idempotencyTtl;
        this.rpmCounterTtl = b.rpmCounterTtl;
        this.dirtyTtl = b.dirtyTtl;
        this.shards = b.shards;
        this.outboxEnabled = b.outboxEnabled;
        this.functionsEnabled = b.functionsEnabled;
        this.pipelining = b.pipelining;
        this.random = b.random;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default options */
    public static RedisQuotaOptions defaults() {
        return DEFAULTS;
    }

    /** @return the key prefix, default {@code quota} */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** @return the TTL of balance, subscription and platform quota entries before jitter */
    public Duration entryTtl() {
        return entryTtl;
    }

    /** @return the largest amount subtracted from {@link #entryTtl()}; jitter never lengthens a TTL */
    public Duration entryTtlJitter() {
        return entryTtlJitter;
    }

    /** @return the TTL of API key usage entries */
    public Duration keyUsageTtl() {
        return keyUsageTtl;
    }

    /** @return the TTL of request-id and hold-id markers */
    public Duration idempotencyTtl() {
        return idempotencyTtl;
    }

    /** @return the TTL of RPM bucket counters */
    public Duration rpmCounterTtl() {
        return rpmCounterTtl;
    }

    /**
     * @return how long refills of an entry stay blocked after usage met it absent or after an eviction (the
     *         TTL of its dirty marker, see {@link RedisKeys#dirty})
     */
    public Duration dirtyTtl() {
        return dirtyTtl;
    }

    /**
     * @return the number of shards users are spread over (the cluster hash tags {@code {s:0}} to
     *         {@code {s:<shards-1>}}), default {@value #DEFAULT_SHARDS}
     */
    public int shards() {
        return shards;
    }

    /**
     * @return whether applied usage is appended to the shard's outbox in the same script call (default true)
     */
    public boolean outboxEnabled() {
        return outboxEnabled;
    }

    /**
     * @return whether the scripts run as Redis 7 functions where the server has them (default true); see
     *         {@link Builder#functions}
     */
    public boolean functionsEnabled() {
        return functionsEnabled;
    }

    /**
     * @return the number of dedicated connections script calls are pipelined on, 0 (the default) when they go
     *         through the client one by one; see {@link Builder#pipelining}
     */
    public int pipelining() {
        return pipelining;
    }

    /**
     * An entry TTL with jitter applied: {@code entryTtl - r} for a uniformly random {@code r} in
     * {@code [0, entryTtlJitter)}, so entries loaded together do not expire together and no TTL ever
     * exceeds {@link #entryTtl()}.
     *
     * @return the TTL in milliseconds, at least 1
     */
    long jitteredEntryTtlMillis() {
        long ttl = entryTtl.toMillis();
        long jitter = entryTtlJitter.toMillis();
        if (jitter <= 0) {
            return ttl;
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        return Math.max(1, ttl - r.nextLong(jitter));
    }

    @Override
    public String toString() {
        return "RedisQuotaOptions{keyPrefix=" + keyPrefix + ", entryTtl=" + entryTtl + ", entryTtlJitter="
                + entryTtlJitter + ", keyUsageTtl=" + keyUsageTtl + ", idempotencyTtl=" + idempotencyTtl
                + ", rpmCounterTtl=" + rpmCounterTtl + ", dirtyTtl=" + dirtyTtl + ", shards=" + shards
                + ", outboxEnabled=" + outboxEnabled + ", functionsEnabled=" + functionsEnabled + ", pipelining=" + pipelining + '}';
    }

    /** Builder for {@link RedisQuotaOptions}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration entryTtl = DEFAULT_ENTRY_TTL;
        private Duration entryTtlJitter = DEFAULT_ENTRY_TTL_JITTER;
        private Duration keyUsageTtl = DEFAULT_KEY_USAGE_TTL;
        private Duration idempotencyTtl = DEFAULT_IDEMPOTENCY_TTL;
        private Duration rpmCounterTtl = DEFAULT_RPM_COUNTER_TTL;
        private Duration dirtyTtl = DEFAULT_DIRTY_TTL;
        private int shards = DEFAULT_SHARDS;
        private boolean outboxEnabled = true;
        private boolean functionsEnabled = true;
        private int pipelining;
        private RandomGenerator random;

        private Builder() {
        }

        /**
         * The first segment of every key, e.g. {@code quota} gives {@code quota:v2:{s:10}:u:42:bal}. Use distinct
         * prefixes to share one Redis between environments.
         *
         * @param prefix 1 to 64 printable ASCII characters without spaces, braces or {@code *?[]}
         * @return this
         * @throws IllegalArgumentException if the prefix is not acceptable
         */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || prefix.length() > 64) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 characters");
            }
            for (int i = 0; i < prefix.length(); i++) {
                char c = prefix.charAt(i);
                // braces would change the cluster hash tag; glob characters would break prefix scans
                if (c <= ' ' || c > '~' || c == '{' || c == '}' || c == '*' || c == '?' || c == '['
                        || c == ']' || c == '\\') {
                    throw new IllegalArgumentException("keyPrefix contains an unsupported character: " + prefix);
                }
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * @param ttl TTL of balance, subscription and platform quota entries; at least one second
         * @return this
         * @throws IllegalArgumentException if shorter than one second
         */
        public Builder entryTtl(Duration ttl) {
            this.entryTtl = atLeast(ttl, Duration.ofSeconds(1), "entryTtl");
            return this;
        }

        /**
         * @param jitter the largest amount subtracted at random from the entry TTL; zero for none; must be
         *               shorter than the entry TTL (checked in {@link #build()})
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder entryTtlJitter(Duration jitter) {
            Objects.requireNonNull(jitter, "entryTtlJitter");
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("entryTtlJitter must not be negative: " + jitter);
            }
            this.entryTtlJitter = jitter;
            return this;
        }

        /**
         * @param ttl TTL of API key usage entries; at least one second
         * @return this
         * @throws IllegalArgumentException if shorter than one second
         */
        public Builder keyUsageTtl(Duration ttl) {
            this.keyUsageTtl = atLeast(ttl, Duration.ofSeconds(1), "keyUsageTtl");
            return this;
        }

        /**
         * @param ttl how long a recorded request id (and a settled hold id) is remembered; replays within it
         *            change nothing; at least one minute
         * @return this
         * @throws IllegalArgumentException if shorter than one minute
         */
        public Builder idempotencyTtl(Duration ttl) {
            this.idempotencyTtl = atLeast(ttl, Duration.ofMinutes(1), "idempotencyTtl");
            return this;
        }

        /**
         * @param ttl TTL of RPM bucket counters; longer than the one-minute bucket
         * @return this
         * @throws IllegalArgumentException if not longer than the bucket
         */
        public Builder rpmCounterTtl(Duration ttl) {
            Duration bucket = QuotaWindows.RPM.length();
            Objects.requireNonNull(ttl, "rpmCounterTtl");
            if (ttl.compareTo(bucket) <= 0) {
                throw new IllegalArgumentException("rpmCounterTtl must be longer than the RPM bucket " + bucket + ": " + ttl);
            }
            this.rpmCounterTtl = ttl;
            return this;
        }

        /**
         * How long refills of an entry stay blocked after usage met it absent or after an eviction; must
         * exceed the write lag of the usage sinks of <em>other</em> processes, so that a refill loaded from the
         * store once the marker is gone includes every usage that met the entry absent. (A
         * {@link dev.quota.core.BillingGate} holds back refills for its own unstored usage whatever the lag.)
         *
         * @param ttl the TTL of dirty markers; at least 100 ms
         * @return this
         * @throws IllegalArgumentException if shorter than 100 ms
         */
        public Builder dirtyTtl(Duration ttl) {
            this.dirtyTtl = atLeast(ttl, MIN_DIRTY_TTL, "dirtyTtl");
            return this;
        }

        /**
         * The number of shards users are spread over. Each shard is one cluster hash tag {@code {s:<n>}}
         * holding the keys of its users and its outbox, so on Redis Cluster the load spreads over at most this
         * many slots. Every gateway instance sharing a Redis must use the same value: a user's keys are found
         * through it.
         *
         * @param shards 1 to {@value #MAX_SHARDS}; default {@value #DEFAULT_SHARDS}
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder shards(int shards) {
            if (shards < 1 || shards > MAX_SHARDS) {
                throw new IllegalArgumentException("shards must be between 1 and " + MAX_SHARDS + ": " + shards);
            }
            this.shards = shards;
            return this;
        }

        /**
         * Whether applied usage is appended to the shard's usage outbox (the durable second copy until the
         * store commits it; see {@link RedisQuota#usageOutbox()}). Turn it off only when nothing drains the
         * outbox, or it grows without bound.
         *
         * @param enabled true (default) to append
         * @return this
         */
        public Builder outbox(boolean enabled) {
            this.outboxEnabled = enabled;
            return this;
        }

        /**
         * Whether the scripts run as Redis 7 functions: the adapter loads its scripts once as one function
         * library ({@code FUNCTION LOAD REPLACE}, on every primary of a cluster, again after a restart lost it)
         * and calls them with {@code FCALL}, so the shared Lua helpers are not rebuilt on every call. A server
         * without functions (before Redis 7) is detected on the first call and served with {@code EVALSHA}.
         * Off: always {@code EVALSHA}. Libraries are named after the SHA-1 of their text, so adapters of
         * different versions can share a Redis; an old version's library stays loaded until
         * {@code FUNCTION DELETE} removes it.
         *
         * @param enabled true (default) to use functions where the server has them
         * @return this
         */
        public Builder functions(boolean enabled) {
            this.functionsEnabled = enabled;
            return this;
        }

        /**
         * Client-side pipelining of Redis calls (the commands of checks; the script calls of records, reservations,
         * settlements, refills, evictions, RPM counts, outbox acknowledgements): instead of each calling thread borrowing a connection of the
         * client for its own round trip, calls are queued and each of {@code connections} dedicated connections
         * sends whatever is queued (up to 64 calls) as one pipeline and answers the callers from the replies, in
         * order. Redis then spends less time per call on reading and writing sockets, which is where much of a
         * short script's cost goes, so a busy Redis serves more calls per second; a caller's latency gains the
         * wait for the batch before its own. Worth it with many concurrent callers; with few, a call waits on a
         * thread hand-over instead.
         *
         * <p>The connections are made from the pool of a standalone {@code RedisClient} (with its configuration:
         * address, credentials, TLS, protocol, socket timeout), lazily on the first call, each served by one
         * daemon thread; they are not taken from the client's pool. Other clients (a {@code RedisClusterClient},
         * a sentinel or custom provider) are not pipelined: the adapter logs it once at INFO and sends calls
         * through the client. An error reply fails only its own call; a connection failure fails the calls in
         * flight on that connection ({@link dev.quota.core.BackendUnavailableException}) and the next call
         * reconnects; a caller waits at most the client's socket timeout. {@link RedisQuota#close()} stops the
         * threads and closes the connections. Other commands (the library load, {@code PING}, hold releases,
         * outbox scans) always go through the client.
         *
         * @param connections 0 (default) for none, or 1 to {@value #MAX_PIPELINED_CONNECTIONS} dedicated
         *                    connections
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder pipelining(int connections) {
            if (connections < 0 || connections > MAX_PIPELINED_CONNECTIONS) {
                throw new IllegalArgumentException("pipelining must be between 0 and " + MAX_PIPELINED_CONNECTIONS
                        + " connections: " + connections);
            }
            this.pipelining = connections;
            return this;
        }

        /**
         * @param random the source of TTL jitter; must be thread-safe (e.g. {@link java.util.Random});
         *               default {@link ThreadLocalRandom}
         * @return this
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if the jitter is not shorter than the entry TTL
         */
        public RedisQuotaOptions build() {
            if (entryTtlJitter.compareTo(entryTtl) >= 0) {
                throw new IllegalArgumentException("entryTtlJitter " + entryTtlJitter
                        + " must be shorter than entryTtl " + entryTtl);
            }
            return new RedisQuotaOptions(this);
        }

        private static Duration atLeast(Duration d, Duration min, String name) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + d);
            }
            return d;
        }
    }
}
