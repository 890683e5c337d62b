package dev.quota.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named SQL statements loaded from {@code dev/quota/jdbc/sql/common.sql} and overridden or extended by
 * {@code dev/quota/jdbc/sql/<dialect>.sql}. A statement starts at a line {@code -- name: some.key} and runs
 * to the next such line; {@code ${prefix}} is replaced by the table prefix once, at load time.
 *
 * <p>A statement named {@code part.<something>} is a fragment that several statements share (a column list, the
 * window assignments of an upsert): {@code ${part.<something>}} in a statement stands for it, resolved once at load
 * time after the dialect file has had its say, so a dialect may override a fragment as it overrides a statement.
 */
final class SqlCatalog {

    private static final Pattern NAME = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");
    private static final Pattern PART = Pattern.compile("\\$\\{(part\\.[\\w.]+)}");

    private final Map<String, String> statements;

    private SqlCatalog(Map<String, String> statements) {
        this.statements = Map.copyOf(statements);
    }

    static SqlCatalog load(Dialect dialect, String prefix) {
        Map<String, String> all = new HashMap<>(parse(read("dev/quota/jdbc/sql/common.sql")));
        all.putAll(parse(read("dev/quota/jdbc/sql/" + dialect.resourceName() + ".sql")));
        return new SqlCatalog(resolve(all, prefix));
    }

    /** @return the statements with their fragments and table prefix filled in */
    static Map<String, String> resolve(Map<String, String> statements, String prefix) {
        Map<String, String> out = new HashMap<>(statements);
        out.replaceAll((k, v) -> withParts(v, statements).replace("${prefix}", prefix));
        return out;
    }

    /** @return the statement, failing loudly when a key is missing (a packaging bug) */
    String get(String key) {
        String sql = statements.get(key);
        if (sql == null) {
            throw new IllegalStateException("no SQL statement named " + key);
        }
        return sql;
    }

    boolean has(String key) {
        return statements.containsKey(key);
    }

    /** @return the statement with every {@code ${part.*}} replaced by that fragment (fragments do not nest) */
    private static String withParts(String sql, Map<String, String> all) {
        Matcher m = PART.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String part = all.get(m.group(1));
            if (part == null) {
                throw new IllegalStateException("no SQL fragment named " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(part));
        }
        return m.appendTail(out).toString();
    }

    static String read(String resource) {
        ClassLoader cl = SqlCatalog.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            Matcher m = NAME.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    out.put(current, body.toString().strip());
                }
                current = m.group(1);
                body.setLength(0);
            } else if (current != null && !line.stripLeading().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            out.put(current, body.toString().strip());
        }
        return out;
    }
}
