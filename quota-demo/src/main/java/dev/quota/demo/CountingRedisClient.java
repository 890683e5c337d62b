package dev.quota.demo;

import java.nio.charset.StandardCharsets;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.csc.Cache;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pooled Jedis client that counts every command it sends in a {@link RoundTrips}, so the demo can explain
 * its round trips on any Redis, including a shared one whose server-side statistics other clients move. A
 * pipeline (a check's plain commands) counts as one round trip, {@code PIPELINE}, each time it is sent.
 */
final class CountingRedisClient extends UnifiedJedis {

    private final PooledConnectionProvider pool;
    private final RoundTrips roundTrips;

    private CountingRedisClient(PooledConnectionProvider pool, JedisClientConfig config, RoundTrips roundTrips) {
        super(new Counting(new DefaultCommandExecutor(pool), roundTrips), pool, config, (Cache) null);
        this.pool = pool;
        this.roundTrips = roundTrips;
    }

    @Override
    public AbstractPipeline pipelined() {
        return new CountedPipeline(pool.getConnection(), roundTrips);
    }

    /**
     * @param server the server
     * @param config the client configuration (timeouts, credentials, database)
     * @param roundTrips where the commands are counted
     * @return a connected client (connections are opened on first use)
     */
    static CountingRedisClient create(HostAndPort server, JedisClientConfig config, RoundTrips roundTrips) {
        return new CountingRedisClient(new PooledConnectionProvider(server, config), config, roundTrips);
    }

    /** Drops the idle pooled connections, e.g. after the server restarted, so no stale one is borrowed. */
    void dropIdleConnections() {
        pool.getPool().clear();
    }

    /** A pipeline on a pooled connection (returned when it is closed) that counts each send as one round trip. */
    private static final class CountedPipeline extends Pipeline {
        private final RoundTrips roundTrips;

        CountedPipeline(Connection connection, RoundTrips roundTrips) {
            super(connection, true);
            this.roundTrips = roundTrips;
        }

        @Override
        public void sync() {
            if (hasPipelinedResponse()) {
                roundTrips.count("PIPELINE");
            }
            super.sync();
        }
    }

    private record Counting(CommandExecutor delegate, RoundTrips roundTrips) implements CommandExecutor {
        @Override
        public <T> T executeCommand(CommandObject<T> command) {
            roundTrips.count(new String(command.getArguments().getCommand().getRaw(), StandardCharsets.US_ASCII));
            return delegate.executeCommand(command);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
