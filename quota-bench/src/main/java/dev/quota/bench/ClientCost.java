package dev.quota.bench;

import dev.quota.core.UsageEvent;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.usage.UsageKey;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * The client side of the Redis adapter alone: a bounded {@code main} that prints the calling thread's CPU time
 * and allocated bytes per raw check, per first-time record and per outbox acknowledgement of one key, without
 * the network and without the server. A check runs no script: its plain commands go through the client's
 * pipeline here (the path of a client that is not a standalone {@code RedisClient}, such as a cluster's), whose
 * replies are recorded by command and argument count; a standalone client's own round ({@code GateRedisBench
 * -prof gc}) allocates less. The scripts' replies are taken once from the embedded redis-server
 * ({@link RedisEnvironment}, warm cache), the server is stopped, and from then on every call runs the adapter's
 * whole Java path (arguments, keys, the event's outbox copy, Jedis writing the command into a discarding stream,
 * Jedis parsing the recorded reply from memory, the decoding of the reply) on a client whose executor answers
 * with the recorded reply of the same script. Unlike {@code ScriptCost pair}, whose client thread CPU is mostly
 * the kernel's socket work and grows with the load of the machine, this leaves only the Java work, so a change
 * to it shows. Per round it prints the figures; at the end the lowest and the median of the rounds after the
 * first quarter (warm-up). Nothing is asserted: the figures are printed for a human to read.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.ClientCost [rounds] [callsPerRound]
 * </pre>
 *
 * Defaults: 40 rounds of 10,000 calls of each kind.
 */
public final class ClientCost {

    /** Keys per outbox acknowledgement, as {@link ScriptCost#ACK_BATCH}. */
    private static final int ACK_BATCH = ScriptCost.ACK_BATCH;

    private final BillingCache cache;
    private final UsageOutbox outbox;
    private final CacheCheck[] checks = ScriptCost.cacheChecks();
    private final SplittableRandom random = new SplittableRandom(7);
    private long sequence;

    private ClientCost(BillingCache cache, UsageOutbox outbox) {
        this.cache = cache;
        this.outbox = outbox;
    }

    /**
     * Runs the rounds and prints the figures.
     *
     * @param args optional: rounds (default 40), calls per round (default 10,000)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        if (rounds < 1 || rounds > 10_000 || calls < 1 || calls > 1_000_000) {
            throw new IllegalArgumentException("rounds 1..10000, calls 1..1000000");
        }
        ClientCost cost = recorded();
        List<double[]> kept = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] f = cost.round(calls);
            System.out.printf(Locale.ROOT, "round %d: check %.2f us %.0f B | record %.2f us %.0f B | ack per key"
                    + " %.3f us %.0f B%n", r + 1, f[0] / 1e3, f[1], f[2] / 1e3, f[3], f[4] / 1e3, f[5]);
            if (r >= rounds / 4) {
                kept.add(f);
            }
        }
        String[] names = {"check ns", "check B", "record ns", "record B", "ack ns/key", "ack B/key"};
        for (int k = 0; k < names.length; k++) {
            double[] v = new double[kept.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = kept.get(i)[k];
            }
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "%-11s lowest %9.1f  median %9.1f%n", names[k], v[0], v[v.length / 2]);
        }
    }

    /**
     * Starts the embedded server, records one reply of each script the rounds run, stops the server.
     *
     * @return the cost probe on the recorded replies
     */
    static ClientCost recorded() {
        try (RedisEnvironment env = RedisEnvironment.start(1)) {
            Replayer replayer = new Replayer(new Connection(new HostAndPort("127.0.0.1", env.port())));
            RedisQuota quota = RedisQuota.create(new ReplayedJedis(replayer), RedisQuotaOptions.builder().build());
            ClientCost cost = new ClientCost(quota.billingCache(), quota.usageOutbox());
            // twice: a first call may find no script or function on the server and is retried (see ScriptClient)
            for (int i = 0; i < 2; i++) {
                cost.cache.check(cost.checks[i]);
                UsageEvent event = Workload.event("client-cost-" + System.nanoTime(), i + 1);
                cost.cache.applyUsage(event, Workload.NOW, Workload.ZONE);
                cost.outbox.acknowledge(List.of(UsageKey.of(event)));
            }
            replayer.replay();
            return cost;
        }
    }

    /**
     * One round: {@code calls} raw checks of random users, {@code calls} first-time records and their outbox
     * acknowledgements in batches of {@value #ACK_BATCH}; the events are built before the clock starts.
     *
     * @param calls calls of each kind
     * @return per operation: check ns, check bytes, record ns, record bytes, acknowledgement ns and bytes per key
     */
    double[] round(int calls) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        UsageEvent[] events = new UsageEvent[calls];
        List<UsageKey> keys = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            events[i] = Workload.event("client-cost-" + sequence++, 1 + random.nextInt(Workload.USERS));
            keys.add(UsageKey.of(events[i]));
        }
        long a0 = threads.getThreadAllocatedBytes(me);
        long c0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            cache.check(checks[random.nextInt(checks.length)]);
        }
        long a1 = threads.getThreadAllocatedBytes(me);
        long c1 = threads.getCurrentThreadCpuTime();
        for (UsageEvent e : events) {
            cache.applyUsage(e, Workload.NOW, Workload.ZONE);
        }
        long a2 = threads.getThreadAllocatedBytes(me);
        long c2 = threads.getCurrentThreadCpuTime();
        for (int from = 0; from < calls; from += ACK_BATCH) {
            outbox.acknowledge(keys.subList(from, Math.min(calls, from + ACK_BATCH)));
        }
        long a3 = threads.getThreadAllocatedBytes(me);
        long c3 = threads.getCurrentThreadCpuTime();
        double n = calls;
        return new double[] {(c1 - c0) / n, (a1 - a0) / n, (c2 - c1) / n, (a2 - a1) / n, (c3 - c2) / n, (a3 - a2) / n};
    }

    /** A client whose commands, single or pipelined, go to a {@link Replayer}. */
    private static final class ReplayedJedis extends UnifiedJedis {
        private final Replayer replayer;

        ReplayedJedis(Replayer replayer) {
            super(replayer, null, RedisProtocol.RESP2, null);
            this.replayer = replayer;
        }

        @Override
        public AbstractPipeline pipelined() {
            return new ReplayedPipeline(replayer);
        }
    }

    /** A pipeline whose commands go to the {@link Replayer} one by one when it is synced (a check's round). */
    private static final class ReplayedPipeline extends AbstractPipeline {
        private final Replayer replayer;
        private final List<CommandObject<?>> commands = new ArrayList<>(8);
        private final List<Response<?>> responses = new ArrayList<>(8);

        ReplayedPipeline(Replayer replayer) {
            super(new CommandObjects(RedisProtocol.RESP2));
            this.replayer = replayer;
        }

        @Override
        protected <T> Response<T> appendCommand(CommandObject<T> command) {
            Response<T> response = new Response<>(command.getBuilder());
            commands.add(command);
            responses.add(response);
            return response;
        }

        @Override
        public void sync() {
            for (int i = 0; i < commands.size(); i++) {
                responses.get(i).set(replayer.raw(commands.get(i)));
            }
            commands.clear();
            responses.clear();
        }

        @Override
        public void close() {
            sync();
        }
    }

    /**
     * Sends commands to the server and keeps the reply of each script (by command and script name), then, once
     * {@link #replay()} was called, answers each command with the kept reply, written and parsed by Jedis'
     * {@link Protocol} through reused streams, as a connection does.
     */
    private static final class Replayer implements CommandExecutor {
        private final Connection server;
        private final Map<String, byte[]> replies = new HashMap<>();
        /** The replies by the script name's bytes, which the adapter sends as the same array on every call. */
        private final Map<byte[], byte[]> byName = new java.util.IdentityHashMap<>();
        /** The replies of plain commands (a check's), by command and then by argument count. */
        private final Map<ProtocolCommand, byte[][]> plain = new HashMap<>();
        private final RedisOutputStream out = new RedisOutputStream(OutputStream.nullOutputStream());
        private byte[] reply = new byte[0];
        private int at;
        private final RedisInputStream in = new RedisInputStream(new InputStream() {
            @Override
            public int read() {
                return at < reply.length ? reply[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, reply.length - at);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(reply, at, b, off, n);
                at += n;
                return n;
            }
        });
        private boolean replaying;

        Replayer(Connection server) {
            this.server = server;
        }

        void replay() {
            replaying = true;
            server.close();
        }

        /**
         * A plain command (not a script call): recorded with its raw reply, by command and argument count (a
         * check's entries differ in their field counts), or answered with that reply.
         */
        Object raw(CommandObject<?> command) {
            CommandArguments args = command.getArguments();
            if (!replaying) {
                Object answer = server.executeCommand(new CommandObject<>(args, BuilderFactory.RAW_OBJECT));
                ByteArrayOutputStream resp = new ByteArrayOutputStream();
                encode(resp, answer);
                byte[][] byCount = plain.computeIfAbsent(args.getCommand(), c -> new byte[64][]);
                byCount[args.size()] = resp.toByteArray();
                return answer;
            }
            try {
                Protocol.sendCommand(out, args);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[][] byCount = plain.get(args.getCommand());
            reply = byCount == null ? null : byCount[args.size()];
            if (reply == null) {
                throw new IllegalStateException("no reply recorded for " + args.getCommand() + " of " + args.size()
                        + " arguments");
            }
            at = 0;
            return Protocol.read(in);
        }

        @Override
        public <T> T executeCommand(CommandObject<T> command) {
            if (!replaying) {
                T answer = server.executeCommand(command);
                ByteArrayOutputStream resp = new ByteArrayOutputStream();
                encode(resp, answer);
                replies.put(name(command), resp.toByteArray());
                return answer;
            }
            try {
                Protocol.sendCommand(out, command.getArguments());
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] script = command.getArguments().get(1).getRaw();
            reply = byName.computeIfAbsent(script, s -> {
                byte[] kept = replies.get(name(command));
                if (kept == null) {
                    throw new IllegalStateException("no reply recorded for " + name(command));
                }
                return kept;
            });
            at = 0;
            return command.getBuilder().build(Protocol.read(in));
        }

        private static String name(CommandObject<?> command) {
            return new String(command.getArguments().get(0).getRaw(), StandardCharsets.US_ASCII) + " "
                    + new String(command.getArguments().get(1).getRaw(), StandardCharsets.US_ASCII);
        }

        /** A reply as RESP2 bytes (integers, bulk and simple strings, nulls and arrays: what the calls answer). */
        private static void encode(ByteArrayOutputStream resp, Object value) {
            if (value instanceof Long l) {
                resp.writeBytes((":" + l + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } else if (value instanceof byte[] b) {
                resp.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                resp.writeBytes(b);
                resp.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (value == null) {
                resp.writeBytes("$-1\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (value instanceof List<?> list) {
                resp.writeBytes(("*" + list.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (Object e : list) {
                    encode(resp, e);
                }
            } else {
                throw new IllegalArgumentException("unexpected reply " + value.getClass());
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
