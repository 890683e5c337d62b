package dev.quota.redis;

import dev.quota.core.BackendUnavailableException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs the adapter's scripts on one client, in one round trip per call in the steady state: on Redis 7 as
 * functions of the {@link FunctionLibrary} ({@code FCALL}), on older servers (or with
 * {@link RedisQuotaOptions#functionsEnabled()} off) as scripts ({@code EVALSHA}; when the node that owns the
 * keys answers {@code NOSCRIPT} (script cache flushed, server restarted, another cluster node), that one call is
 * retried with {@code EVAL}, which also caches the script on that node). Arguments go out without the copy
 * Jedis makes of a {@code byte[]} ({@link Arg}).
 *
 * <ul>
 *   <li>The library is loaded lazily ({@code FUNCTION LOAD REPLACE}, which Jedis sends to every primary of a
 *       cluster): when a call answers that the function is missing (a new server, a restart without
 *       persistence, {@code FUNCTION FLUSH}, a node that joined the cluster), the library is loaded and that call
 *       retried once; if the function is still missing on the node that owns the keys, the call runs as a
 *       script instead. Creating a client does no I/O.</li>
 *   <li>A server that does not know {@code FCALL} (Redis 6.2), or an ACL user that may not run {@code FCALL} or
 *       {@code FUNCTION LOAD} ({@code NOPERM}), makes the client use scripts from then on.</li>
 * </ul>
 * Thread-safe (as thread-safe as the {@link UnifiedJedis} it is given).
 */
final class ScriptClient {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptClient.class);

    private final UnifiedJedis jedis;
    private final FunctionLibrary library;
    /** The pipeline script calls go through instead of the client ({@link RedisQuotaOptions#pipelining()}), or null. */
    private final PipelinedExecutor pipeline;
    /** False once the server has shown that it has no functions, or when they are off. */
    private volatile boolean functions;

    /**
     * @param jedis the client
     * @param library the library holding every script this client runs
     * @param functions true to use functions where the server has them
     * @param pipeline the pipeline script calls go through, or null to send them through the client
     */
    ScriptClient(UnifiedJedis jedis, FunctionLibrary library, boolean functions, PipelinedExecutor pipeline) {
        this.jedis = jedis;
        this.library = library;
        this.functions = functions;
        this.pipeline = pipeline;
    }

    /** @return the client */
    UnifiedJedis jedis() {
        return jedis;
    }

    /** @return the client-side pipeline calls go through, or null when they go through the client */
    PipelinedExecutor pipeline() {
        return pipeline;
    }

    /** @return true while calls go out as {@code FCALL} */
    boolean usesFunctions() {
        return functions;
    }

    /**
     * Runs one script: one round trip, more only when the server lacks the function or script (see the class
     * comment).
     *
     * @param script the script
     * @param keys the keys ({@link SlotLayout.Values#toArray()}, sent without a copy), all in one slot
     * @param args the arguments ({@link SlotLayout.Values#toArray()}, sent without a copy)
     * @return the reply, undecoded (integers as {@link Long}, bulk strings as {@code byte[]}, arrays as lists)
     * @throws BackendUnavailableException when Redis fails or the script answers with an error
     */
    Object call(LuaScript script, Rawable[] keys, Rawable[] args) {
        try {
            Arg function = functions ? library.functionName(script) : null;
            if (function != null) {
                try {
                    return send(Protocol.Command.FCALL, function, keys, args);
                } catch (JedisDataException e) {
                    if (!noFunctions(e) && !functionMissing(e)) {
                        throw e;
                    }
                }
                if (functions && loadLibrary(script)) {
                    try {
                        return send(Protocol.Command.FCALL, function, keys, args);
                    } catch (JedisDataException e) {
                        if (!functionMissing(e)) {
                            throw e;
                        }
                        LOG.warn("function {} still missing after loading library {}; running it as a script",
                                function, library.name());
                    }
                }
            }
            try {
                return send(Protocol.Command.EVALSHA, script.sha1Arg(), keys, args);
            } catch (JedisNoScriptException noScript) {
                LOG.debug("script {} not cached on the node, sending it with EVAL", script.name());
                return send(Protocol.Command.EVAL, script.sourceArg(), keys, args);
            }
        } catch (JedisException e) {
            throw new BackendUnavailableException("Redis script " + script.name() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One command {@code <command> <name> <numkeys> <keys...> <args...>} through the client's executor (so a
     * cluster client routes it by the keys' slot), or the pipeline when there is one, every argument sent without
     * a copy ({@link Arg}), the arguments in one array sized for the command ({@link ScriptArguments}).
     */
    private Object send(Protocol.Command command, Rawable name, Rawable[] keys, Rawable[] args) {
        CommandObject<Object> call = new CommandObject<>(new ScriptArguments(command, name, keys, args),
                BuilderFactory.RAW_OBJECT);
        return pipeline == null ? jedis.executeCommand(call) : pipeline.execute(call);
    }

    /**
     * Loads the library (on every primary of a cluster).
     *
     * @return true when it was loaded, false when the server has no functions (the client then uses scripts)
     */
    private boolean loadLibrary(LuaScript wanted) {
        try {
            jedis.functionLoadReplace(library.codeBytes());
            LOG.info("loaded Redis function library {} (for script {})", library.name(), wanted.name());
            return true;
        } catch (JedisDataException e) {
            if (noFunctions(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether the answer says functions cannot be used at all: the server has none (before Redis 7), or the
     * ACL user may not run {@code FCALL} or {@code FUNCTION LOAD}. Scripts are used from then on.
     */
    private boolean noFunctions(JedisDataException e) {
        String m = message(e);
        boolean unknown = m.startsWith("err unknown command") && (m.contains("fcall") || m.contains("function"));
        // NOPERM for the command itself, not for a key the script touches (that fails the same way with EVALSHA)
        boolean denied = m.startsWith("noperm") && (m.contains("fcall") || m.contains("function"));
        if (!unknown && !denied) {
            return false;
        }
        if (functions) {
            functions = false;
            if (unknown) {
                LOG.info("Redis has no functions (before Redis 7); running the adapter's scripts with EVALSHA");
            } else {
                LOG.warn("the Redis user may not use functions ({}); running the adapter's scripts with EVALSHA"
                        + " (grant FCALL and FUNCTION LOAD, or set RedisQuotaOptions.functions(false))", e.getMessage());
            }
        }
        return true;
    }

    /** Whether the answer says the function is not loaded on the node (Redis 7: {@code ERR Function not found}). */
    private static boolean functionMissing(JedisDataException e) {
        return message(e).startsWith("err function not found");
    }

    private static String message(JedisDataException e) {
        String m = e.getMessage();
        return m == null ? "" : m.toLowerCase(Locale.ROOT);
    }
}
