package dev.quota.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared Lua helpers ({@code lib.lua}) cut into their top-level definitions, so that each script is sent
 * with only the definitions it uses, directly or through another definition. Redis keeps no state between
 * script calls, so every definition a script carries is run again on every call (a closure or a table
 * built each time); carrying only the used ones saves server time on every call.
 *
 * <p>A definition starts with {@code local} in the first column ({@code local function name(...)} or
 * {@code local a, b = ...}) and runs to the next such line. Comment lines in the first column are dropped;
 * the text before the first definition is the file's header and is dropped too. Definitions keep their order
 * in the file, so a definition still comes after the ones it uses. Immutable and thread-safe.
 */
final class LuaLib {

    private static final Pattern FUNCTION = Pattern.compile("^local function ([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern VARIABLES = Pattern.compile("^local ([A-Za-z_][A-Za-z0-9_]*(?:\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*)*)\\s*=");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** One top-level definition: the names it declares, its text and the identifiers its text mentions. */
    private record Definition(List<String> names, String text, Set<String> mentions) {
    }

    private final List<Definition> definitions;
    private final Map<String, Integer> definitionOf;

    private LuaLib(List<Definition> definitions) {
        this.definitions = List.copyOf(definitions);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < definitions.size(); i++) {
            for (String name : definitions.get(i).names()) {
                if (index.put(name, i) != null) {
                    throw new IllegalArgumentException("lib.lua declares " + name + " twice");
                }
            }
        }
        this.definitionOf = Map.copyOf(index);
    }

    /**
     * @param source the text of {@code lib.lua}
     * @return the library cut into its definitions
     * @throws IllegalArgumentException when a line in the first column is neither a definition, {@code end},
     *         a closing bracket nor a comment
     */
    static LuaLib parse(String source) {
        List<Definition> out = new ArrayList<>();
        List<String> names = null;
        StringBuilder text = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            if (line.startsWith("--")) {
                continue;
            }
            List<String> declared = declaredBy(line);
            if (declared != null) {
                if (names != null) {
                    out.add(definition(names, text));
                }
                names = declared;
                text.setLength(0);
            } else if (names == null) {
                if (!line.isBlank()) {
                    throw new IllegalArgumentException("lib.lua: a statement outside a definition: " + line);
                }
                continue;
            }
            text.append(line).append('\n');
        }
        if (names != null) {
            out.add(definition(names, text));
        }
        return new LuaLib(out);
    }

    private static List<String> declaredBy(String line) {
        Matcher f = FUNCTION.matcher(line);
        if (f.find()) {
            return List.of(f.group(1));
        }
        Matcher v = VARIABLES.matcher(line);
        if (v.find()) {
            List<String> names = new ArrayList<>();
            for (String n : v.group(1).split(",")) {
                names.add(n.strip());
            }
            return List.copyOf(names);
        }
        if (line.startsWith("local")) {
            throw new IllegalArgumentException("lib.lua: a local declaration this cutter does not understand: " + line);
        }
        return null;
    }

    private static Definition definition(List<String> names, StringBuilder text) {
        String body = text.toString().stripTrailing() + "\n";
        return new Definition(names, body, identifiers(body));
    }

    private static Set<String> identifiers(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * @param script the text of one script
     * @return the definitions the script uses, directly or through other definitions, in the library's order
     */
    String preludeFor(String script) {
        Set<Integer> used = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(identifiers(script));
        while (!pending.isEmpty()) {
            Integer d = definitionOf.get(pending.pop());
            if (d != null && used.add(d)) {
                pending.addAll(definitions.get(d).mentions());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < definitions.size(); i++) {
            if (used.contains(i)) {
                out.append(definitions.get(i).text());
            }
        }
        return out.toString();
    }

    /** @return every name the library declares */
    Set<String> names() {
        return definitionOf.keySet();
    }
}
