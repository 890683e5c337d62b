package dev.quota.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The adapter's scripts as one Redis 7 function library ({@code FUNCTION LOAD}): the {@code lib.lua}
 * definitions any script uses, once, then each script registered as the function
 * {@link #functionName} whose body is the script's own resource with {@code KEYS} and {@code ARGV} as its
 * parameters. Redis runs the library's top level once when it loads it, so a call ({@code FCALL}) runs
 * only the script's own body: the helper closures and constant tables a script sent with {@code EVALSHA}
 * builds again on every call are built once. The library's helpers keep no state between calls (they are
 * functions and read-only tables). Immutable and thread-safe.
 *
 * <p>The library's name is {@code quota_<id>} and each function's {@code quota_<script>_<id>}, where the id is the
 * SHA-1 of the library's helpers and every script's name and body. Redis function names are global across
 * libraries: had a function's name carried only its own script's hash, a script two adapter versions share
 * unchanged would have the same name in both libraries, and the second version's {@code FUNCTION LOAD} would fail
 * ("Function ... already exists") on a Redis the first one uses, as in a rolling upgrade. With the library's id in
 * every name, adapters of different versions sharing one Redis each load and call their own library.
 */
final class FunctionLibrary {

    private final String name;
    private final String code;
    private final byte[] codeBytes;
    /** Function names by the SHA-1 of the script ({@link LuaScript#sha1()}). */
    private final Map<String, Arg> functionNames;

    private FunctionLibrary(String name, String code, Map<String, Arg> functionNames) {
        this.name = name;
        this.code = code;
        this.codeBytes = code.getBytes(StandardCharsets.UTF_8);
        this.functionNames = Map.copyOf(functionNames);
    }

    /**
     * @param scripts the scripts, each registered as its function
     * @return the library
     */
    static FunctionLibrary of(List<LuaScript> scripts) {
        StringBuilder own = new StringBuilder();
        for (LuaScript s : scripts) {
            own.append(s.body()).append('\n');
        }
        String prelude = LuaScript.lib().preludeFor(own.toString());
        StringBuilder identity = new StringBuilder(prelude);
        for (LuaScript s : scripts) {
            identity.append('\n').append(s.name()).append('\n').append(s.body());
        }
        String id = LuaScript.sha1(identity.toString());
        StringBuilder bodies = new StringBuilder();
        Map<String, Arg> names = new HashMap<>();
        for (LuaScript s : scripts) {
            String function = "quota_" + s.name() + "_" + id;
            names.put(s.sha1(), Arg.of(function.getBytes(StandardCharsets.US_ASCII)));
            bodies.append("redis.register_function('").append(function).append("', function(KEYS, ARGV)\n")
                    .append(s.body().stripTrailing()).append("\nend)\n");
        }
        String name = "quota_" + id;
        return new FunctionLibrary(name, "#!lua name=" + name + "\n" + prelude + "\n" + bodies, names);
    }

    /**
     * @param script a script
     * @return the name of its function in this library, {@code quota_<script>_<id>}, or null when the library
     *         does not hold it (the script then runs as a script)
     */
    Arg functionName(LuaScript script) {
        return functionNames.get(script.sha1());
    }

    /** @return the library's name, {@code quota_<id>} */
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
