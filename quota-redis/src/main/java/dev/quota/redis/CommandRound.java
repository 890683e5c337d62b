package dev.quota.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

/**
 * Plain commands sent together, in one round trip: queued one by one ({@link #hmget}, {@link #countIn}), each
 * returning the index of its reply, sent with {@link #send()}, then read with {@link #values} and {@link #count}.
 * Nothing is atomic across the commands: each runs on its own. The commands go out
 *
 * <ul>
 *   <li>with client-side pipelining on ({@link RedisQuotaOptions#pipelining()}), through the
 *       {@link PipelinedExecutor}, among other callers' commands;</li>
 *   <li>on a standalone {@link RedisClient}, written on one connection borrowed from its pool, whose replies are
 *       read together (the arguments built without Jedis' growing lists, {@link ScriptArguments#plain});</li>
 *   <li>on any other client (a cluster, which routes each command by its key's slot), as a pipeline of the
 *       client.</li>
 * </ul>
 *
 * A reply read with an error (a key of another type, say) throws that {@code JedisDataException}; a failed
 * connection fails {@link #send()} or the read with a {@code JedisConnectionException}. Not thread-safe: one per
 * call, closed by it (which returns the connection).
 */
abstract class CommandRound implements AutoCloseable {

    /** The most commands of one round (a check's: four entries, two counters of two commands each). */
    private static final int COMMANDS = 8;
    /** A new counter's value before its first {@code INCR}. */
    private static final Arg ZERO = Arg.of(Ascii.utf8("0"));
    private static final Arg NX = Arg.of(Ascii.utf8("NX"));
    private static final Arg PX = Arg.of(Ascii.utf8("PX"));
    private static final Rawable[] NO_ARGS = new Rawable[0];

    /**
     * @param jedis the client
     * @param pipeline the client-side pipeline, or null
     * @param pool the connection pool of a standalone client ({@link #poolOf}), or null
     * @return a new round
     */
    static CommandRound open(UnifiedJedis jedis, PipelinedExecutor pipeline, Pool<Connection> pool) {
        if (pipeline != null) {
            return new Pipelined(pipeline);
        }
        if (pool != null) {
            return new OnConnection(pool);
        }
        return new OfClient(jedis.pipelined());
    }

    /**
     * @param jedis a client
     * @return the connection pool of a standalone {@link RedisClient}, or null for any other client (or one built
     *     on a provider that is not a pool)
     */
    static Pool<Connection> poolOf(UnifiedJedis jedis) {
        if (jedis instanceof RedisClient client) {
            try {
                return client.getPool();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * A counter's TTL as {@code SET <counter> 0 NX PX <ttl>} takes it, built once and passed to {@link #countIn}.
     *
     * @param args the arguments after the counter
     * @param params the same as Jedis' parameters
     */
    record CounterTtl(Rawable[] args, SetParams params) {

        /**
         * @param ttlMillis the counter's TTL
         * @return the TTL's arguments
         */
        static CounterTtl of(long ttlMillis) {
            return new CounterTtl(new Rawable[] {ZERO, NX, PX, Arg.of(Ascii.digits(ttlMillis))},
                    SetParams.setParams().nx().px(ttlMillis));
        }
    }

    /**
     * Queues {@code HMGET}.
     *
     * @param key the hash
     * @param fields the fields, sent as they are
     * @return the index of the reply ({@link #values})
     */
    abstract int hmget(byte[] key, Rawable[] fields);

    /**
     * Queues a count of a counter that lives for a TTL: {@code SET <counter> 0 NX PX <ttl>} (which creates it with
     * its TTL and leaves any existing key, of any type, as it is), then {@code INCR <counter>} (which refuses a key
     * of another type, not an integer, or at the maximum, unwritten).
     *
     * @param counter the counter
     * @param ttl its TTL
     * @return the index of the {@code INCR}'s reply ({@link #count})
     */
    abstract int countIn(byte[] counter, CounterTtl ttl);

    /** Sends what was queued and reads the replies. */
    abstract void send();

    /**
     * @param reply an index {@link #hmget} returned
     * @return the values in the fields' order, {@code null} for a field that is absent
     * @throws JedisDataException when Redis answered with an error
     */
    @SuppressWarnings("unchecked")
    final List<byte[]> values(int reply) {
        return (List<byte[]>) reply(reply);
    }

    /**
     * @param reply an index {@link #countIn} returned
     * @return the count
     * @throws JedisDataException when Redis answered with an error
     */
    final long count(int reply) {
        return (Long) reply(reply);
    }

    /** The reply of one command: a {@code List} of {@code byte[]} (or nulls) for HMGET, a {@code Long} for INCR. */
    abstract Object reply(int index);

    /** Releases what the round holds (a borrowed connection). */
    @Override
    public abstract void close();

    /**
     * A round that queues its commands as (command, key, arguments), written when it is sent; the replies as Jedis
     * reads them, an error reply as its {@code JedisDataException}.
     */
    private abstract static class Queued extends CommandRound {
        final Protocol.Command[] names = new Protocol.Command[COMMANDS];
        final byte[][] keys = new byte[COMMANDS][];
        final Rawable[][] args = new Rawable[COMMANDS][];
        int size;

        private int add(Protocol.Command command, byte[] key, Rawable[] arguments) {
            names[size] = command;
            keys[size] = key;
            args[size] = arguments;
            return size++;
        }

        @Override
        final int hmget(byte[] key, Rawable[] fields) {
            return add(Protocol.Command.HMGET, key, fields);
        }

        @Override
        final int countIn(byte[] counter, CounterTtl ttl) {
            add(Protocol.Command.SET, counter, ttl.args());
            return add(Protocol.Command.INCR, counter, NO_ARGS);
        }

        @Override
        final Object reply(int index) {
            Object r = raw(index);
            if (r instanceof JedisDataException error) {
                throw error;
            }
            return r;
        }

        /** The reply of command {@code index} as read, an error reply as its exception (returned). */
        abstract Object raw(int index);
    }

    /**
     * Through the client-side pipeline: submitted together when sent, so that they go out in their order on one of
     * its connections (a counter's {@code INCR} after its {@code SET NX PX}); the replies awaited when first read.
     */
    private static final class Pipelined extends Queued {
        private final PipelinedExecutor executor;
        private PipelinedExecutor.Submitted submitted;
        private Object[] replies;

        Pipelined(PipelinedExecutor executor) {
            this.executor = executor;
        }

        @Override
        void send() {
            // one command object each: the executor's thread writes them after this call returns
            CommandArguments[] commands = new CommandArguments[size];
            for (int i = 0; i < size; i++) {
                commands[i] = ScriptArguments.plain(names[i], Arg.of(keys[i]), args[i]);
            }
            submitted = executor.submit(commands);
        }

        @Override
        Object raw(int index) {
            if (replies == null) {
                replies = executor.await(submitted);
            }
            return replies[index];
        }

        @Override
        public void close() {
            // nothing of its own: the executor's connections are shared
        }
    }

    /**
     * On one connection of a standalone client's pool: written together through one reusable
     * {@link PlainCommand}, the replies read together.
     */
    private static final class OnConnection extends Queued {
        private final Pool<Connection> pool;
        private Connection connection;
        private List<Object> replies;

        OnConnection(Pool<Connection> pool) {
            this.pool = pool;
        }

        @Override
        void send() {
            connection = pool.getResource();
            PlainCommand command = new PlainCommand();
            for (int i = 0; i < size; i++) {
                connection.sendCommand(command.of(names[i], keys[i], args[i]));
            }
            // flushes once, then reads one reply per command; an error reply is returned as its exception
            replies = connection.getMany(size);
        }

        @Override
        Object raw(int index) {
            return replies.get(index);
        }

        @Override
        public void close() {
            if (connection != null) {
                // back to the pool; a connection that failed is marked broken and destroyed instead
                connection.close();
                connection = null;
            }
        }
    }

    /** As a pipeline of the client (a cluster client's routes each command by its key's slot). */
    private static final class OfClient extends CommandRound {
        private final AbstractPipeline pipeline;
        private final List<Response<?>> responses = new ArrayList<>(COMMANDS);

        OfClient(AbstractPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        int hmget(byte[] key, Rawable[] fields) {
            byte[][] names = new byte[fields.length][];
            for (int i = 0; i < names.length; i++) {
                names[i] = fields[i].getRaw();
            }
            responses.add(pipeline.hmget(key, names));
            return responses.size() - 1;
        }

        @Override
        int countIn(byte[] counter, CounterTtl ttl) {
            pipeline.set(counter, ZERO.getRaw(), ttl.params());
            responses.add(pipeline.incr(counter));
            return responses.size() - 1;
        }

        @Override
        void send() {
            pipeline.sync();
        }

        @Override
        Object reply(int index) {
            return responses.get(index).get();
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }
}
