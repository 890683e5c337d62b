package dev.quota.redis;

import dev.quota.core.BackendUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.args.Rawable;

/**
 * One Lua script: the definitions of {@code lib.lua} it uses ({@link LuaLib}) followed by the script's own
 * resource, loaded once from the class path, its slot placeholders ({@code KEYS[$MARKER]}, {@code ARGV[$COST]})
 * replaced with the positions of the script's {@link SlotLayout}s ({@link SlotPlaceholders}). It runs in one of
 * two forms, chosen by {@link ScriptClient}: as a function of the Redis 7 library {@link FunctionLibrary}
 * ({@code FCALL} of {@link FunctionLibrary#functionName}, whose body is the script's own resource, the library
 * defining {@code lib.lua} once), or as a script of its own ({@code EVALSHA} of {@link #sha1Arg()}, {@code EVAL}
 * of {@link #sourceArg()}). Immutable and thread-safe.
 */
final class LuaScript {

    private static final String DIR = "/dev/quota/redis/";
    private static final LuaLib LIB = LuaLib.parse(resource("lib"));

    private final String name;
    private final String source;
    private final String sha1;
    private final Arg sourceArg;
    private final Arg sha1Arg;
    private final String body;

    private LuaScript(String name, String body, String source) {
        this.name = name;
        this.body = body;
        this.source = source;
        this.sha1 = sha1(source);
        this.sourceArg = Arg.of(source.getBytes(StandardCharsets.UTF_8));
        this.sha1Arg = Arg.of(sha1.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param name the resource name without {@code .lua}
     * @param layouts the layouts of the script's keys and arguments, whose slots its placeholders name
     * @return the script with its placeholders replaced and the shared helpers it uses prepended
     * @throws IllegalStateException when the script and its layouts disagree ({@link SlotPlaceholders})
     */
    static LuaScript load(String name, SlotLayout<?>... layouts) {
        return load(name, Map.of(), layouts);
    }

    /**
     * @param name the resource name without {@code .lua}
     * @param constants the script's constants by name, each as the Lua literal its placeholder becomes
     * @param layouts the layouts of the script's keys and arguments, whose slots its placeholders name
     * @return the script with its placeholders replaced and the shared helpers it uses prepended
     * @throws IllegalStateException when the script and its layouts disagree ({@link SlotPlaceholders})
     */
    static LuaScript load(String name, Map<String, String> constants, SlotLayout<?>... layouts) {
        String own = SlotPlaceholders.resolve(name, resource(name), List.of(layouts), constants);
        return new LuaScript(name, own, LIB.preludeFor(own) + "\n" + own);
    }

    /** @return the shared helpers, parsed once */
    static LuaLib lib() {
        return LIB;
    }

    String name() {
        return name;
    }

    String sha1() {
        return sha1;
    }

    String source() {
        return source;
    }

    /** @return the script's own resource, without the helpers (the body of its library function) */
    String body() {
        return body;
    }

    /** @return the SHA-1 {@code EVALSHA} sends */
    Arg sha1Arg() {
        return sha1Arg;
    }

    /** @return the whole script as {@code EVAL} sends it */
    Arg sourceArg() {
        return sourceArg;
    }

    /**
     * Runs the script through the client with arguments already encoded; see {@link ScriptClient#call}.
     *
     * @param client the client
     * @param keys the keys ({@link SlotLayout.Values#toArray()}, sent without a copy), all in one slot
     * @param args the arguments ({@link SlotLayout.Values#toArray()}, sent without a copy)
     * @return the reply, undecoded (integers as {@link Long}, bulk strings as {@code byte[]}, arrays as lists)
     * @throws BackendUnavailableException when Redis fails
     */
    Object runBinary(ScriptClient client, Rawable[] keys, Rawable[] args) {
        return client.call(this, keys, args);
    }

    static String resource(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(DIR + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + DIR + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + name, e);
        }
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
