package dev.quota.redis;

import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.RedisOutputStream;
import java.io.ByteArrayOutputStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;

/**
 * A script command answers every question Jedis asks of its arguments exactly as Jedis' own
 * {@link CommandArguments} built argument by argument does.
 */
class ScriptArgumentsTest {

    private static final Arg NAME = Arg.of(utf8("0123456789abcdef0123456789abcdef01234567"));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What the client sent before: Jedis' arguments, built one by one. */
    private static CommandArguments jedis(List<?> keys, List<?> args) {
        CommandArguments c = new CommandArguments(Protocol.Command.EVALSHA).add(NAME).add(keys.size());
        for (Object k : keys) {
            c.key(Arg.from(k));
        }
        for (Object a : args) {
            c.add(Arg.from(a));
        }
        return c;
    }

    private static List<String> sent(CommandArguments c) {
        List<String> out = new ArrayList<>();
        for (Rawable r : c) {
            out.add(new String(r.getRaw(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> byIndex(CommandArguments c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            out.add(new String(c.get(i).getRaw(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> keys(CommandArguments c) {
        List<String> out = new ArrayList<>();
        for (Object k : c.getKeys()) {
            out.add(new String(raw(k), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A key as Jedis keeps it: its bytes (Jedis 8) or the argument it was given (Jedis 7). */
    private static byte[] raw(Object key) {
        return key instanceof redis.clients.jedis.args.Rawable r ? r.getRaw() : (byte[]) key;
    }

    /** The values as the adapter's layouts hold them ({@link SlotLayout.Values#toArray()}). */
    private static Rawable[] rawables(List<?> values) {
        return values.stream().map(Arg::from).toArray(Rawable[]::new);
    }

    @Test
    void sends_the_arguments_keys_and_slots_of_jedis_own_command() {
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // two hash tags, so that the slots are two
            keys.add(utf8("quota:v2:{s:" + (i % 2) + "}:u:" + i + ":bal"));
        }
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            args.add(i % 3 == 0 ? Arg.of(utf8("arg" + i)) : utf8("é" + i));
        }
        CommandArguments expected = jedis(keys, args);

        ScriptArguments actual = new ScriptArguments(Protocol.Command.EVALSHA, NAME, rawables(keys), rawables(args));

        assertThat(actual.size()).isEqualTo(expected.size()).isEqualTo(3 + 40 + 60);
        assertThat(sent(actual)).isEqualTo(sent(expected)).isEqualTo(byIndex(actual));
        assertThat(actual.getCommand()).isEqualTo(expected.getCommand());
        assertThat(keys(actual)).isEqualTo(keys(expected));
        assertThat(actual.getKeyHashSlots()).isEqualTo(slotsOf(expected)).hasSize(2);
        assertThat(actual.isKeyless()).isEqualTo(expected.getKeys().isEmpty()).isFalse();
        assertThat(actual.isBlocking()).isEqualTo(expected.isBlocking());
    }

    @Test
    void a_command_without_keys_is_keyless_like_jedis_own() {
        List<Object> args = List.of(utf8("a"));
        CommandArguments expected = jedis(List.of(), args);

        ScriptArguments actual = new ScriptArguments(Protocol.Command.EVALSHA, NAME, new Rawable[0], rawables(args));

        assertThat(sent(actual)).isEqualTo(sent(expected));
        assertThat(actual.isKeyless()).isEqualTo(expected.getKeys().isEmpty()).isTrue();
        assertThat(actual.getKeys()).isEmpty();
        assertThat(actual.getKeyHashSlots()).isEqualTo(slotsOf(expected)).isEmpty();
    }

    @Test
    void the_command_is_complete_when_built() {
        ScriptArguments c = new ScriptArguments(Protocol.Command.EVALSHA, NAME, rawables(List.of(utf8("k"))),
                new Rawable[0]);

        assertThatThrownBy(() -> c.add(NAME)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.add((Object) "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.key("k2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.getKeys().add("k2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(c.size()).isEqualTo(4);
    }

    /**
     * The cluster slots of a Jedis command's keys, from {@code getKeys()}: Jedis 7 routes by them and has no
     * {@code getKeyHashSlots()}, so the test compiles against both (CI runs the adapter on Jedis 7.5.3 too).
     */
    private static java.util.Set<Integer> slotsOf(CommandArguments command) {
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (Object key : command.getKeys()) {
            slots.add(redis.clients.jedis.util.JedisClusterCRC16.getSlot(raw(key)));
        }
        return slots;
    }

    @Test
    void aPlainCommandSendsWhatJedisOwnCommandSends() {
        byte[] key = utf8("quota:v2:{s:3}:u:42:bal");
        Rawable[] fields = rawables(List.of(utf8("sv"), utf8("balance")));
        CommandArguments expected = new CommandArguments(Protocol.Command.HMGET).key(Arg.of(key)).add(fields[0])
                .add(fields[1]);

        ScriptArguments plain = ScriptArguments.plain(Protocol.Command.HMGET, Arg.of(key), fields);

        assertThat(sent(plain)).isEqualTo(sent(expected)).containsExactly("HMGET", "quota:v2:{s:3}:u:42:bal", "sv",
                "balance");
        assertThat(byIndex(plain)).isEqualTo(byIndex(expected));
        assertThat(keys(plain)).isEqualTo(keys(expected));
        assertThat(plain.getKeyHashSlots()).containsExactly(JedisClusterCRC16.getSlot(key));
    }

    /** The reusable command of a round writes, command after command, the bytes Jedis' own commands write. */
    @Test
    void aReusedPlainCommandWritesTheBytesOfJedisOwnCommandsInTurn() throws Exception {
        byte[] counter = utf8("quota:v2:{s:3}:u:42:rpm:1764300000000");
        byte[] entry = utf8("quota:v2:{s:3}:u:42:bal");
        Rawable[] fields = rawables(List.of(utf8("sv"), utf8("balance")));
        Rawable[] ttl = rawables(List.of(utf8("0"), utf8("NX"), utf8("PX"), utf8("120000")));
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        RedisOutputStream o = new RedisOutputStream(ours);
        RedisOutputStream t = new RedisOutputStream(theirs);
        PlainCommand reused = new PlainCommand();

        Protocol.sendCommand(o, reused.of(Protocol.Command.HMGET, entry, fields));
        Protocol.sendCommand(o, reused.of(Protocol.Command.SET, counter, ttl));
        Protocol.sendCommand(o, reused.of(Protocol.Command.INCR, counter, new Rawable[0]));
        Protocol.sendCommand(t, new CommandArguments(Protocol.Command.HMGET).key(entry).add(fields[0]).add(fields[1]));
        Protocol.sendCommand(t, new CommandArguments(Protocol.Command.SET).key(counter).add(ttl[0]).add(ttl[1])
                .add(ttl[2]).add(ttl[3]));
        Protocol.sendCommand(t, new CommandArguments(Protocol.Command.INCR).key(counter));
        o.flush();
        t.flush();

        assertThat(ours.toString(StandardCharsets.UTF_8)).isEqualTo(theirs.toString(StandardCharsets.UTF_8))
                .startsWith("*4\r\n$5\r\nHMGET\r\n");
        assertThat(reused.getCommand()).isEqualTo(Protocol.Command.INCR);
        assertThatThrownBy(() -> reused.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
