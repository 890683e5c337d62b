package dev.quota.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the slot placeholders of a script's own text with the positions its {@link SlotLayout}s give them,
 * once, when the script is assembled (the script Redis runs carries plain numbers, so names cost nothing at run
 * time). A placeholder is {@code $NAME}, the name of a constant of one of the script's slot enums, or of one of
 * its constants: a value fixed for the adapter's version (a schema version, the known statuses), which the
 * script carries as a Lua literal instead of receiving it as an argument on every call.
 *
 * <p>It refuses (with {@link IllegalStateException}, at load, before any Redis is involved): a placeholder that
 * names no slot; a slot that the code never reads (a comment does not count); a slot of {@code KEYS} read from
 * {@code ARGV} or the reverse; a relative slot ({@link SlotLayout#argvFrom}) written as an absolute index; a
 * constant written as an index; a constant the code never uses; a name two of the script's enums or constants
 * share; and a slot numbered by hand in the code ({@code KEYS[2]},
 * {@code ARGV[3]}, {@code unpack(ARGV, 5)}; {@code unpack(ARGV, 1, n)}, which copies the first n values into a
 * table of that size, is not a slot). Stateless.
 */
final class SlotPlaceholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern BY_HAND = Pattern.compile(
            "\\b(?:KEYS|ARGV)\\s*\\[\\s*[0-9]|\\bunpack\\s*\\(\\s*(?:KEYS|ARGV)\\s*,\\s*(?!1\\s*,)[0-9]");
    private static final Pattern INDEXED = Pattern.compile("\\b(KEYS|ARGV)\\s*\\[\\s*$");

    private SlotPlaceholders() {
    }

    /** A slot of one of the script's layouts (or a constant: no table), with what its placeholder stands for. */
    private record Named(SlotLayout.Table table, String value) {
    }

    /**
     * @param script the script's name, for messages
     * @param body the script's own text
     * @param layouts the layouts of its keys and arguments
     * @param constants the script's constants by name, each as the Lua literal it becomes
     * @return the text with every placeholder replaced by its number or literal
     * @throws IllegalStateException when the text and the layouts disagree (see the class comment)
     */
    static String resolve(String script, String body, List<SlotLayout<?>> layouts, Map<String, String> constants) {
        Map<String, Named> slots = new HashMap<>();
        for (SlotLayout<?> layout : layouts) {
            add(script, layout, slots);
        }
        constants.forEach((name, literal) -> {
            if (slots.put(name, new Named(null, literal)) != null) {
                throw new IllegalStateException(script + ".lua: two slots are named " + name);
            }
        });
        Set<String> read = new HashSet<>();
        StringBuilder out = new StringBuilder(body.length());
        String[] lines = body.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int comment = commentStart(line);
            String code = line.substring(0, comment);
            if (BY_HAND.matcher(code).find()) {
                throw new IllegalStateException(script + ".lua:" + (n + 1) + ": a slot numbered by hand: "
                        + line.strip());
            }
            Matcher m = PLACEHOLDER.matcher(line);
            int done = 0;
            while (m.find()) {
                String name = m.group(1);
                Named slot = slots.get(name);
                if (slot == null) {
                    throw new IllegalStateException(script + ".lua:" + (n + 1) + ": $" + name + " names no slot");
                }
                if (m.start() < comment) {
                    checkTable(script, n, name, slot, code.substring(0, m.start()));
                    read.add(name);
                }
                out.append(line, done, m.start()).append(slot.value());
                done = m.end();
            }
            out.append(line, done, line.length());
            if (n < lines.length - 1) {
                out.append('\n');
            }
        }
        for (String name : slots.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalStateException(script + ".lua never reads the slot $" + name);
            }
        }
        return out.toString();
    }

    private static <E extends Enum<E> & ScriptSlot> void add(String script, SlotLayout<E> layout,
                                                            Map<String, Named> slots) {
        for (E slot : layout.slots()) {
            if (slots.put(slot.name(), new Named(layout.table(), Integer.toString(layout.placeholder(slot)))) != null) {
                throw new IllegalStateException(script + ".lua: two slots are named " + slot.name());
            }
        }
    }

    /** A placeholder right after {@code KEYS[} or {@code ARGV[} must be an absolute slot of that table. */
    private static void checkTable(String script, int line, String name, Named slot, String before) {
        Matcher indexed = INDEXED.matcher(before);
        if (!indexed.find()) {
            return;
        }
        SlotLayout.Table wanted = indexed.group(1).equals("KEYS") ? SlotLayout.Table.KEYS : SlotLayout.Table.ARGV;
        if (slot.table() != wanted) {
            throw new IllegalStateException(script + ".lua:" + (line + 1) + ": $" + name + " is "
                    + (slot.table() == null ? "a constant" : "a slot of " + slot.table()) + ", read as "
                    + indexed.group(1) + "[$" + name + "]");
        }
    }

    /** @return where the line's comment starts ({@code --} outside a string), or its length */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') {
                return i;
            }
        }
        return line.length();
    }
}
