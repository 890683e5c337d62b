package dev.quota.redis;

import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Plain commands sent together, in one round trip: queued one by one ({@link #hmget}, {@link #countIn}), sent
 * with {@link #send()}, their replies are then read from what the queuing methods returned. They go out as a
 * pipeline of the client (a cluster client routes each by its key's slot) or, with client-side pipelining on
 * ({@link RedisQuotaOptions#pipelining()}), through the {@link PipelinedExecutor}, among other callers' commands.
 * Nothing is atomic across the commands: each runs on its own.
 *
 * <p>A reply's {@link Supplier#get()} returns it, or throws the {@code JedisDataException} of an error reply
 * (a key of another type, say); a failed connection fails {@link #send()} or the reply with a
 * {@code JedisConnectionException}. Not thread-safe: one per call, closed by it.
 */
abstract class CommandRound implements AutoCloseable {

    /** A new counter's value before its first {@code INCR}. */
    private static final byte[] ZERO = Ascii.utf8("0");

    /**
     * @param jedis the client
     * @param pipeline the client-side pipeline, or null to send through a pipeline of the client
     * @return a new round
     */
    static CommandRound open(UnifiedJedis jedis, PipelinedExecutor pipeline) {
        return pipeline == null ? new Direct(jedis.pipelined()) : new Pipelined(pipeline);
    }

    /**
     * Queues {@code HMGET}.
     *
     * @param key the hash
     * @param fields the fields
     * @return the values in the fields' order, {@code null} for a field that is absent
     */
    abstract Supplier<List<byte[]>> hmget(byte[] key, byte[][] fields);

    /**
     * Queues a count of a counter that lives for {@code ttl}: {@code SET <counter> 0 NX PX <ttl>} (which creates
     * it with its TTL and leaves any existing key, of any type, as it is), then {@code INCR <counter>} (which
     * refuses a key of another type, not an integer, or at the maximum, unwritten).
     *
     * @param counter the counter
     * @param ttl the TTL: {@code SET}'s parameters {@code NX PX <ms>}
     * @return the count including this one
     */
    abstract Supplier<Long> countIn(byte[] counter, SetParams ttl);

    /** Sends what was queued and reads the replies. */
    abstract void send();

    /** Releases the connection (direct) or nothing (pipelined). */
    @Override
    public abstract void close();

    /** Through a pipeline of the client, on a connection of its own for the round. */
    private static final class Direct extends CommandRound {
        private final AbstractPipeline pipeline;

        Direct(AbstractPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        Supplier<List<byte[]>> hmget(byte[] key, byte[][] fields) {
            return pipeline.hmget(key, fields);
        }

        @Override
        Supplier<Long> countIn(byte[] counter, SetParams ttl) {
            pipeline.set(counter, ZERO, ttl);
            return pipeline.incr(counter);
        }

        @Override
        void send() {
            pipeline.sync();
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }

    /** Through the client-side pipeline: submitted at once, each reply awaited when it is read. */
    private static final class Pipelined extends CommandRound {
        private final PipelinedExecutor executor;

        Pipelined(PipelinedExecutor executor) {
            this.executor = executor;
        }

        @Override
        Supplier<List<byte[]>> hmget(byte[] key, byte[][] fields) {
            CommandArguments args = new CommandArguments(Protocol.Command.HMGET).key(key);
            for (byte[] field : fields) {
                args.add(field);
            }
            return submit(new CommandObject<>(args, BuilderFactory.BINARY_LIST));
        }

        @Override
        Supplier<Long> countIn(byte[] counter, SetParams ttl) {
            submit(new CommandObject<>(new CommandArguments(Protocol.Command.SET).key(counter).add(ZERO)
                    .addParams(ttl), BuilderFactory.STRING));
            return submit(new CommandObject<>(new CommandArguments(Protocol.Command.INCR).key(counter),
                    BuilderFactory.LONG));
        }

        private <T> Supplier<T> submit(CommandObject<T> command) {
            PipelinedExecutor.Submitted<T> submitted = executor.submit(command);
            return () -> executor.await(submitted);
        }

        @Override
        void send() {
            // submitted as they were queued; each reply is awaited when it is read
        }

        @Override
        public void close() {
            // nothing of its own: the executor's connections are shared
        }
    }
}
