package dev.quota.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a Redis the demo must not stop (a shared server given with
 * {@code --redis-url}): {@link #cut()} refuses new connections and drops the open ones, as a crashed server
 * would look to the gateway, and {@link #restore()} accepts again on the same port.
 */
final class RedisLink implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket server;

    /**
     * Starts relaying on a free loopback port.
     *
     * @param target the Redis
     * @throws UncheckedIOException when no loopback port can be bound
     */
    RedisLink(InetSocketAddress target) {
        this.target = target;
        this.server = bind(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    /** @return the loopback port clients connect to */
    int port() {
        return port;
    }

    /** @return whether {@link #cut()} was called and {@link #restore()} not since */
    boolean isCut() {
        return server.isClosed();
    }

    /** Refuses new connections and drops every open one. */
    synchronized void cut() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /**
     * Registers an accepted connection unless the link was cut meanwhile (then it is closed), so that no
     * connection accepted just before a cut outlives it.
     */
    private synchronized boolean register(ServerSocket listening, Socket client, Socket upstream) {
        if (listening.isClosed()) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        open.add(client);
        open.add(upstream);
        return true;
    }

    /** Accepts connections again on the same port. */
    void restore() {
        server = bind(port);
        accept(server);
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Redis relay on loopback port " + port, e);
        }
    }

    private void accept(ServerSocket listening) {
        Thread t = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket();
                    if (!register(listening, client, upstream)) {
                        continue;
                    }
                    try {
                        // no Nagle delay on either leg: a relayed request/reply must not wait for an ACK
                        client.setTcpNoDelay(true);
                        upstream.setTcpNoDelay(true);
                        upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
                    } catch (IOException e) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    if (!register(listening, client, upstream)) {
                        continue; // cut while connecting upstream
                    }
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    return; // closed by cut()
                }
            }
        }, "quota-demo-redis-link");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "quota-demo-redis-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
