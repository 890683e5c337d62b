package dev.quota.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The adapter's scripts as one Redis 7 function library ({@code FUNCTION LOAD}): the {@code lib.lua}
 * definitions any script uses, once, then each script registered as the function
 * {@link LuaScript#functionName()} whose body is the script's own resource with {@code KEYS} and {@code ARGV}
 * as its parameters. Redis runs the library's top level once when it loads it, so a call ({@code FCALL}) runs
 * only the script's own body: the helper closures and constant tables a script sent with {@code EVALSHA}
 * builds again on every call are built once. The library's helpers keep no state between calls (they are
 * functions and read-only tables). Immutable and thread-safe.
 *
 * <p>The library's name carries the SHA-1 of its text ({@code quota_<sha1>}), and every function name that of
 * its script, so adapters of different versions sharing one Redis each load and call their own library.
 */
final class FunctionLibrary {

    private final String name;
    private final String code;
    private final byte[] codeBytes;

    private FunctionLibrary(String name, String code) {
        this.name = name;
        this.code = code;
        this.codeBytes = code.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param scripts the scripts, each registered as its function
     * @return the library
     */
    static FunctionLibrary of(List<LuaScript> scripts) {
        StringBuilder bodies = new StringBuilder();
        StringBuilder own = new StringBuilder();
        for (LuaScript s : scripts) {
            own.append(s.body()).append('\n');
            bodies.append("redis.register_function('").append(s.functionName().toString()).append("', function(KEYS, ARGV)\n")
                    .append(s.body().stripTrailing()).append("\nend)\n");
        }
        String text = LuaScript.lib().preludeFor(own.toString()) + "\n" + bodies;
        String name = "quota_" + LuaScript.sha1(text);
        return new FunctionLibrary(name, "#!lua name=" + name + "\n" + text);
    }

    /** @return the library's name, {@code quota_<sha1 of its text>} */
    String name() {
        return name;
    }

    /** @return the text {@code FUNCTION LOAD} takes, starting with its {@code #!lua name=} line */
    String code() {
        return code;
    }

    byte[] codeBytes() {
        return codeBytes;
    }
}
