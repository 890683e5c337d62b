package dev.quota.bench.compare;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pooled Jedis {@link RedisClient} that counts, on the client side, every command it sends, by name: the
 * commands a caller issues per operation (a script call counts once, whatever it runs inside the server). Every
 * command of a {@link RedisClient} goes through its {@link CommandExecutor}, which this class wraps; pipelines
 * and transactions would bypass it (neither Quota's adapter nor Bucket4j's Jedis backend uses them). Thread-safe.
 */
public final class CountingClient implements AutoCloseable {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final RedisClient client;

    /**
     * @param port the loopback port of the server
     * @param connections the pool size (callers plus background workers, so that nobody waits for a connection)
     */
    public CountingClient(int port, int connections) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().build(), pool);
        CommandExecutor counting = new Counting(new DefaultCommandExecutor(provider));
        this.client = RedisClient.builder().connectionProvider(provider).commandExecutor(counting).build();
    }

    /** @return the counting client */
    public RedisClient redis() {
        return client;
    }

    /** @return the commands sent so far, by lower-case name (a copy) */
    public Map<String, Long> counts() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((name, n) -> copy.put(name, n.sum()));
        return copy;
    }

    /** Closes the client and its pool. */
    @Override
    public void close() {
        client.close();
    }

    /** Counts each command, then runs it. */
    private final class Counting implements CommandExecutor {
        private final CommandExecutor delegate;

        Counting(CommandExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T executeCommand(CommandObject<T> command) {
            String name = new String(command.getArguments().getCommand().getRaw(), StandardCharsets.US_ASCII)
                    .toLowerCase(Locale.ROOT);
            counts.computeIfAbsent(name, n -> new LongAdder()).increment();
            return delegate.executeCommand(command);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
