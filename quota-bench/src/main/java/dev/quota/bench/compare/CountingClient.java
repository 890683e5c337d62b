package dev.quota.bench.compare;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pooled Jedis {@link RedisClient} that counts, on the client side, every command it sends, by name: the
 * commands a caller issues per operation (a script call counts once, whatever it runs inside the server). The
 * count is taken where the commands leave the client, on its sockets: each connection's output is read as the
 * RESP requests it carries, so single commands, pipelines of the client and the connections of Quota's
 * client-side pipeline (made by the same pool's factory) are all counted. Thread-safe.
 */
public final class CountingClient implements AutoCloseable {

    private static final int TIMEOUT_MS = 2_000;

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
        JedisClientConfig config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS).build();
        ConnectionFactory factory = new ConnectionFactory(new CountingSockets(port), config);
        this.client = RedisClient.builder().connectionProvider(new PooledConnectionProvider(factory, pool)).build();
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

    /** Loopback sockets, set up as Jedis' own factory sets them up, whose output is counted. */
    private final class CountingSockets implements JedisSocketFactory {
        private final int port;

        CountingSockets(int port) {
            this.port = port;
        }

        @Override
        public Socket createSocket() {
            Socket socket = new CountingSocket();
            try {
                socket.setReuseAddress(true);
                socket.setKeepAlive(true);
                socket.setTcpNoDelay(true);
                socket.setSoLinger(true, 0);
                socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                return socket;
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // failing already
                }
                throw new JedisConnectionException("cannot connect to 127.0.0.1:" + port, e);
            }
        }
    }

    /** A socket whose output stream counts the commands written to it. */
    private final class CountingSocket extends Socket {
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new CountingStream(super.getOutputStream());
            }
            return out;
        }
    }

    /**
     * Reads the RESP requests written through it (arrays of bulk strings, {@code *<n>\r\n} then per element
     * {@code $<len>\r\n<bytes>\r\n}) and counts each by its first element. Used by one connection, so by one
     * thread at a time.
     */
    private final class CountingStream extends FilterOutputStream {
        /** What the next byte is: an array header, a bulk header, or a bulk's bytes (and its CRLF). */
        private static final int ARRAY = 0;
        private static final int BULK = 1;
        private static final int DATA = 2;

        private int state = ARRAY;
        /** The number being read (after '*' or '$'), or the bytes left of a bulk and its CRLF. */
        private long number;
        private boolean header;
        private long elements;
        private boolean first;
        private final StringBuilder name = new StringBuilder();

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            read(b & 0xff);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                read(b[i] & 0xff);
            }
        }

        private void read(int c) {
            switch (state) {
                case ARRAY, BULK -> {
                    if (!header) {
                        // '*' or '$'
                        header = true;
                        number = 0;
                    } else if (c >= '0' && c <= '9') {
                        number = number * 10 + (c - '0');
                    } else if (c == '\n') {
                        header = false;
                        if (state == ARRAY) {
                            elements = number;
                            first = true;
                            name.setLength(0);
                            state = elements > 0 ? BULK : ARRAY;
                        } else {
                            // the bulk's bytes, then its CRLF
                            number += 2;
                            state = DATA;
                        }
                    }
                }
                default -> {
                    number--;
                    if (first && number >= 2 && name.length() < 32) {
                        name.append((char) c);
                    }
                    if (number == 0) {
                        if (first) {
                            String command = name.toString().toLowerCase(Locale.ROOT);
                            counts.computeIfAbsent(command, n -> new LongAdder()).increment();
                            first = false;
                        }
                        state = --elements > 0 ? BULK : ARRAY;
                    }
                }
            }
        }
    }
}
