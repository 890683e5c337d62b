package dev.quota.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.PooledObjectFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Client-side pipelining of script calls ({@link RedisQuotaOptions.Builder#pipelining}): the commands of many
 * caller threads go out as pipelines on a few dedicated connections, so Redis reads, runs and answers them in
 * batches (fewer system calls on both sides per command).
 *
 * <p>Callers put each command with a future on one shared queue. Each connection has one daemon thread that
 * takes whatever is queued (at most {@value #MAX_BATCH} callers' submissions), writes their commands, flushes
 * once, reads the replies in order and completes the futures, so a reply only ever reaches the caller of its own
 * command; the commands one caller submits together go out together, in their order, on one connection. An error
 * reply fails only its own caller, with the exception the direct path throws (so {@code NOSCRIPT} and missing-function
 * retries work unchanged). A connection failure fails every command of the batch with a
 * {@link JedisConnectionException}; that connection, and every other made before the failure, is made again for
 * its next batch. A caller waits at most the connection's socket timeout.
 *
 * <p>The connections come from the factory of the client's pool ({@link RedisClient#getPool()}), so they have the
 * client's configuration (address, credentials, TLS, protocol, timeouts) but are never lent to anyone else; other
 * clients (a cluster, a sentinel-managed client) cannot be pipelined, see {@link #of}. Nothing connects and no
 * thread starts before the first command. Thread-safe.
 */
final class PipelinedExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelinedExecutor.class);

    /** The most submissions (of one command or a few) one connection writes before it reads their replies. */
    static final int MAX_BATCH = 64;
    /** The longest {@link #close()} waits for each thread to end. */
    private static final int JOIN_MILLIS = 10_000;
    /** Numbers the pipelines of a process, for their threads' names. */
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private final PooledObjectFactory<Connection> factory;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Loop[] loops;
    /**
     * Counts connection failures: a loop whose connection was made before the last failure of any loop makes a
     * new one before its next batch, so that after a server restart an idle connection does not fail one call.
     */
    private final AtomicLong failures = new AtomicLong();
    /** How long a caller waits for its reply: the socket timeout of the last connection made (Jedis' default until then). */
    private volatile int waitMillis = Protocol.DEFAULT_TIMEOUT;
    private volatile boolean started;
    /** Set once by {@link #close()}; a loop that sees it ends (also one started after it). */
    private final AtomicBoolean closed = new AtomicBoolean();

    private PipelinedExecutor(PooledObjectFactory<Connection> factory, int connections) {
        this.factory = factory;
        this.loops = new Loop[connections];
        int pipeline = PIPELINES.incrementAndGet();
        for (int i = 0; i < connections; i++) {
            loops[i] = new Loop("quota-redis-pipeline-" + pipeline + "-" + i);
        }
    }

    /**
     * A pipeline on {@code connections} connections of {@code jedis}, or null (with one INFO log) when the client
     * cannot be pipelined: only a standalone {@link RedisClient} on its own pool can; calls then go through the
     * client as without pipelining.
     *
     * @param jedis the client
     * @param connections the number of dedicated connections, at least 1
     * @return the pipeline, or null
     */
    static PipelinedExecutor of(UnifiedJedis jedis, int connections) {
        if (jedis instanceof RedisClient client) {
            try {
                return new PipelinedExecutor(client.getPool().getFactory(), connections);
            } catch (RuntimeException e) {
                // a RedisClient built on a provider that is not a pool
                LOG.info("Redis client {} has no connection pool to make pipelined connections from ({});"
                        + " script calls go through the client without pipelining", jedis.getClass().getName(), e.toString());
                return null;
            }
        }
        LOG.info("pipelining needs a standalone RedisClient, not a {}; script calls go through the client without"
                + " pipelining", jedis.getClass().getName());
        return null;
    }

    /**
     * Sends one command in the next batch and waits for its reply.
     *
     * @param command the command
     * @param <T> the reply type
     * @return the reply, built by the command's builder
     * @throws JedisDataException when Redis answers the command with an error (the type the direct path throws)
     * @throws JedisConnectionException when the connection fails, the reply does not come within the socket
     *         timeout, the caller is interrupted or the pipeline is closed
     */
    <T> T execute(CommandObject<T> command) {
        Object reply = await(submit(command.getArguments()))[0];
        if (reply instanceof JedisDataException error) {
            throw error;
        }
        return command.getBuilder().build(reply);
    }

    /**
     * Puts commands in the next batch without waiting for their replies. They go out together, in this order and
     * on one connection (no other caller's command comes between them), so each runs after the one before it.
     *
     * @param commands the commands, at least one
     * @return the submitted commands, whose replies {@link #await} waits for
     * @throws JedisConnectionException when the pipeline is closed
     */
    Submitted submit(CommandArguments... commands) {
        if (closed.get()) {
            throw closedException();
        }
        if (!started) {
            start();
        }
        Pending pending = new Pending(commands);
        queue.add(pending);
        if (closed.get() && queue.remove(pending)) {
            // close() drained the queue before these commands were in it
            throw closedException();
        }
        return new Submitted(pending);
    }

    /**
     * Waits for the replies of submitted commands.
     *
     * @param submitted what {@link #submit} returned
     * @return the raw replies in the commands' order; an error reply is its {@link JedisDataException}, returned,
     *     not thrown (the other commands ran)
     * @throws JedisConnectionException when the connection fails, the replies do not come within the socket
     *         timeout, the caller is interrupted or the pipeline is closed
     */
    Object[] await(Submitted submitted) {
        Pending pending = submitted.pending;
        try {
            return pending.replies.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (TimeoutException e) {
            // still queued: it will not be sent (once sent, it may run, as a timed-out direct call may)
            queue.remove(pending);
            throw new JedisConnectionException("no reply from Redis within " + waitMillis + " ms (pipelined)", e);
        } catch (InterruptedException e) {
            queue.remove(pending);
            Thread.currentThread().interrupt();
            throw new JedisConnectionException("interrupted while waiting for a pipelined reply", e);
        }
    }

    /** Commands {@link #submit submitted} together to the pipeline, whose replies {@link #await} waits for. */
    static final class Submitted {
        private final Pending pending;

        private Submitted(Pending pending) {
            this.pending = pending;
        }
    }

    /**
     * Stops the threads, closes the connections and fails every command not yet answered with a
     * {@link JedisConnectionException}; later calls fail the same way. Idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        failQueued(closedException());
        for (Loop loop : loops) {
            loop.stop();
        }
        for (Loop loop : loops) {
            loop.join();
        }
        failQueued(closedException());
    }

    private synchronized void start() {
        if (started || closed.get()) {
            return;
        }
        for (Loop loop : loops) {
            loop.thread.start();
        }
        started = true;
    }

    private void failQueued(JedisException cause) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            p.replies.completeExceptionally(cause);
        }
    }

    private static JedisConnectionException closedException() {
        return new JedisConnectionException("the Redis adapter is closed (pipelined script calls stopped)");
    }

    /**
     * The exception to throw in the caller's thread: the error reply as the direct path throws it, a connection
     * failure as a new {@link JedisConnectionException} of the caller (the failure is shared by a whole batch).
     */
    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof JedisConnectionException c) {
            return new JedisConnectionException(c.getMessage(), c);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new JedisException(cause);
    }

    /** Commands sent together and the future their caller waits on (completed with their raw replies). */
    private static final class Pending {
        final CommandArguments[] commands;
        final CompletableFuture<Object[]> replies = new CompletableFuture<>();

        Pending(CommandArguments[] commands) {
            this.commands = commands;
        }
    }

    /** One connection and the thread that writes batches to it and reads their replies. */
    private final class Loop implements Runnable {
        private final Thread thread;
        private final List<Pending> batch = new ArrayList<>(MAX_BATCH);
        /** The connection, null until the first batch and after a failure; written only by the loop's thread. */
        private volatile PooledObject<Connection> connection;
        /** {@link #failures} when the connection was made. */
        private long connectedAfter;

        Loop(String name) {
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!closed.get()) {
                    Pending first = queue.take();
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    runBatch();
                    batch.clear();
                }
            } catch (InterruptedException e) {
                // close()
            } finally {
                for (Pending p : batch) {
                    p.replies.completeExceptionally(closedException());
                }
                disconnect();
            }
        }

        private void runBatch() {
            List<Object> replies;
            try {
                Connection c = connection();
                if (closed.get()) {
                    // closed while connecting (close() could not reach a connection in the making): send nothing
                    throw closedException();
                }
                int commands = 0;
                for (Pending p : batch) {
                    for (CommandArguments command : p.commands) {
                        c.sendCommand(command);
                    }
                    commands += p.commands.length;
                }
                // flushes once, then reads one reply per command; an error reply is returned as its exception
                replies = c.getMany(commands);
            } catch (RuntimeException e) {
                // a JedisException, or anything else that left the connection in an unknown state
                JedisConnectionException failure = e instanceof JedisConnectionException c ? c
                        : new JedisConnectionException("pipelined Redis connection failed: " + e.getMessage(), e);
                // the replies that were not read would reach the wrong callers on this connection: drop it
                failures.incrementAndGet();
                disconnect();
                for (Pending p : batch) {
                    p.replies.completeExceptionally(failure);
                }
                return;
            }
            int next = 0;
            for (Pending p : batch) {
                Object[] own = new Object[p.commands.length];
                for (int i = 0; i < own.length; i++) {
                    own[i] = replies.get(next++);
                }
                p.replies.complete(own);
            }
        }

        private Connection connection() {
            PooledObject<Connection> c = connection;
            if (c != null && connectedAfter != failures.get()) {
                disconnect();
                c = null;
            }
            if (c == null) {
                long failuresBefore = failures.get();
                try {
                    c = factory.makeObject();
                } catch (JedisException e) {
                    throw e;
                } catch (Exception e) {
                    throw new JedisConnectionException("cannot open a pipelined Redis connection: " + e.getMessage(), e);
                }
                connection = c;
                connectedAfter = failuresBefore;
                int timeout = c.getObject().getSoTimeout();
                waitMillis = timeout > 0 ? timeout : Integer.MAX_VALUE;
            }
            return c.getObject();
        }

        private void disconnect() {
            PooledObject<Connection> c = connection;
            connection = null;
            if (c != null) {
                try {
                    factory.destroyObject(c);
                } catch (Exception e) {
                    LOG.debug("closing a pipelined Redis connection failed", e);
                }
            }
        }

        /** Wakes the thread when it waits for commands; closing the socket ends a read in progress. */
        void stop() {
            thread.interrupt();
            PooledObject<Connection> c = connection;
            if (c != null) {
                try {
                    c.getObject().forceDisconnect();
                } catch (Exception e) {
                    LOG.debug("closing a pipelined Redis connection failed", e);
                }
            }
        }

        void join() {
            if (!thread.isAlive()) {
                return;
            }
            try {
                // the socket is closed, so only a connect in progress can hold the thread; it is a daemon
                thread.join(Math.min(waitMillis, JOIN_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
