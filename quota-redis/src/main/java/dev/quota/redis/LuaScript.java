package dev.quota.redis;

import dev.quota.core.decision.BackendUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script: the definitions of {@code lib.lua} it uses ({@link LuaLib}) followed by the script's own
 * resource, loaded once from the class path. It runs in one of two forms, chosen by {@link ScriptClient}: as a
 * function of the Redis 7 library {@link FunctionLibrary} ({@code FCALL} of {@link #functionName()}, whose body
 * is the script's own resource, the library defining {@code lib.lua} once), or as a script of its own
 * ({@link #evalsha}). Immutable and thread-safe.
 */
final class LuaScript {

    private static final Logger LOG = LoggerFactory.getLogger(LuaScript.class);
    private static final String DIR = "/dev/quota/redis/";
    private static final LuaLib LIB = LuaLib.parse(resource("lib"));

    private final String name;
    private final String source;
    private final String sha1;
    private final byte[] sourceBytes;
    private final byte[] sha1Bytes;
    private final String body;
    private final String functionName;
    private final byte[] functionNameBytes;

    private LuaScript(String name, String body, String source) {
        this.name = name;
        this.body = body;
        this.source = source;
        this.sha1 = sha1(source);
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        this.sha1Bytes = sha1.getBytes(StandardCharsets.US_ASCII);
        // the SHA-1 of the whole script: a changed script (or helper it uses) is a new function, so SDK versions
        // that share a Redis never call each other's functions
        this.functionName = "quota_" + name + "_" + sha1;
        this.functionNameBytes = functionName.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param name the resource name without {@code .lua}
     * @return the script with the shared helpers it uses prepended
     */
    static LuaScript load(String name) {
        String own = resource(name);
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

    /** @return the name of the script's function in {@link FunctionLibrary}, {@code quota_<name>_<sha1>} */
    String functionName() {
        return functionName;
    }

    byte[] functionNameBytes() {
        return functionNameBytes;
    }

    /**
     * Runs the script through the client; see {@link ScriptClient#call}.
     *
     * @param client the client
     * @param keys the keys, all in one slot
     * @param args the arguments
     * @return the reply, bulk strings as {@code byte[]}
     * @throws BackendUnavailableException when Redis fails
     */
    Object run(ScriptClient client, List<String> keys, List<String> args) {
        return client.call(this, utf8(keys), utf8(args));
    }

    /**
     * Runs the script through the client with arguments already encoded; see {@link ScriptClient#call}.
     *
     * @param client the client
     * @param keys the keys (UTF-8), all in one slot
     * @param args the arguments (UTF-8)
     * @return the reply, undecoded (integers as {@link Long}, bulk strings as {@code byte[]}, arrays as lists)
     * @throws BackendUnavailableException when Redis fails
     */
    Object runBinary(ScriptClient client, List<byte[]> keys, List<byte[]> args) {
        return client.call(this, keys, args);
    }

    /**
     * The script form: one binary {@code EVALSHA}; when the node that owns the keys answers {@code NOSCRIPT}
     * (script cache flushed, server restarted, another cluster node), that one call is retried with
     * {@code EVAL}, which also caches the script on that node.
     *
     * @param jedis the client
     * @param keys the keys (UTF-8), all in one slot
     * @param args the arguments (UTF-8)
     * @return the reply, undecoded
     * @throws JedisException when Redis fails
     */
    Object evalsha(UnifiedJedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(sha1Bytes, keys, args);
        } catch (JedisNoScriptException noScript) {
            LOG.debug("script {} not cached on the node, sending it with EVAL", name);
            return jedis.eval(sourceBytes, keys, args);
        }
    }

    private static List<byte[]> utf8(List<String> values) {
        List<byte[]> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(v.getBytes(StandardCharsets.UTF_8));
        }
        return out;
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
