package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * The demo on a Redis it was given with {@code --redis-url} (here a redis-server this test starts): the outage
 * cuts the demo's connections instead of stopping the server, the report is the same as on its own embedded
 * server but for the lines naming the servers, and it leaves no key behind.
 */
class GivenServersDemoTest {

    private static final String[] ARGS = {"--seed", "7", "--days", "1", "--users", "60"};

    @Test
    void onAGivenRedisTheReportIsTheSameAndNoKeyIsLeft() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        server.start();
        try (RedisClient client = RedisClient.create("127.0.0.1", port)) {
            client.set("someone-else:key", "kept");
            String given = run("--redis-url", "redis://127.0.0.1:" + port);
            String embedded = run();

            assertThat(given).contains("servers: the given Redis (through a loopback relay) + in-memory H2")
                    .contains("connections to the given Redis cut at the relay, then restored")
                    .endsWith("books balance: OK" + System.lineSeparator());
            assertThat(withoutServerLines(given)).isEqualTo(withoutServerLines(embedded));
            assertThat(client.dbSize()).as("only the key the demo did not write").isEqualTo(1);
            assertThat(client.get("someone-else:key")).isEqualTo("kept");
        } finally {
            server.stop();
        }
    }

    private static String run(String... extra) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(ARGS), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = GatewayDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        assertThat(code).isEqualTo(GatewayDemo.OK);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> withoutServerLines(String report) {
        return report.lines().filter(l -> !l.startsWith("servers: ") && !l.contains("redis-server killed")
                && !l.contains("cut at the relay")).toList();
    }
}
