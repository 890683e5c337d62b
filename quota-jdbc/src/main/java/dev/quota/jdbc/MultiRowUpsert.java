package dev.quota.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.Update;

/**
 * One catalog upsert of the form {@code INSERT ... VALUES (<row>) ON CONFLICT ...} turned into one PostgreSQL
 * statement for many rows: {@code INSERT ... SELECT <row> FROM unnest(?::int8[], ?::text[], ...) AS u(c0, c1, ...)
 * ON CONFLICT ...}, each distinct parameter of the row one array parameter holding that column of every row,
 * while the parameters of the conflict clause are shared, so rows are grouped by their values. Its text depends
 * only on the statement and the parameter types, not on the row count, so the server prepares and plans it once
 * per connection. A JDBC batch executes one statement per row on the server; this executes one per group of
 * rows. Rows must not repeat a conflict key (the ledger sums its deltas per key first). Immutable and
 * thread-safe.
 */
final class MultiRowUpsert {

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9]*)");
    private static final Pattern SHAPE = Pattern.compile("(?s)^(.*?\\b)VALUES\\s*\\((.*?)\\)(\\s*ON\\s+CONFLICT\\b.*)$");

    private final String head;
    private final String tail;
    /** The SELECT list: the row's expressions with each parameter replaced by its unnested column. */
    private final String select;
    /** The row's distinct parameters in order of first appearance: column {@code c<i>} of the unnest. */
    private final List<String> rowParams;
    /** The conflict clause's parameters in order of appearance. */
    private final List<String> sharedParams;

    private MultiRowUpsert(String head, String row, String tail) {
        this.head = head;
        this.tail = PARAM.matcher(tail).replaceAll("?");
        this.rowParams = List.copyOf(new LinkedHashSet<>(params(row)));
        this.sharedParams = params(tail);
        this.select = PARAM.matcher(row).replaceAll(m -> "u.c" + rowParams.indexOf(m.group(1)));
    }

    /**
     * @param sql a single-row upsert
     * @return its multi-row form, or null when the statement does not have the {@code VALUES (...) ON CONFLICT}
     *         shape (or its conflict clause reads a row parameter by name, which one statement cannot share)
     */
    static MultiRowUpsert of(String sql) {
        Matcher m = SHAPE.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        if (PARAM.matcher(m.group(1)).find()) {
            return null;
        }
        Set<String> shared = new LinkedHashSet<>(params(m.group(3)));
        shared.retainAll(params(m.group(2)));
        return shared.isEmpty() ? new MultiRowUpsert(m.group(1), m.group(2), m.group(3)) : null;
    }

    /** Writes {@code rows} in list order, one statement per run of rows that share the conflict parameters. */
    void execute(java.util.function.Function<String, Update> prepare, List<Args> rows) {
        Map<List<Object>, List<Args>> groups = new LinkedHashMap<>();
        for (Args row : rows) {
            List<Object> key = new ArrayList<>(sharedParams.size());
            for (String p : sharedParams) {
                key.add(row.value(p));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        for (List<Args> group : groups.values()) {
            Args first = group.get(0);
            Update update = prepare.apply(sql(first));
            int position = 0;
            for (String p : rowParams) {
                Object[] column = new Object[group.size()];
                for (int i = 0; i < column.length; i++) {
                    column[i] = group.get(i).value(p);
                }
                update.bind(position++, Db.array(first.isText(p) ? "text" : "int8", column));
            }
            first.bindPositional(update, sharedParams, position);
            update.execute();
        }
    }

    /** The statement for rows typed like {@code first} (a parameter's type is the same in every row). */
    String sql(Args first) {
        StringJoiner arrays = new StringJoiner(", ", "unnest(", ")");
        StringJoiner columns = new StringJoiner(", ", "u(", ")");
        for (int i = 0; i < rowParams.size(); i++) {
            arrays.add(first.isText(rowParams.get(i)) ? "?::text[]" : "?::int8[]");
            columns.add("c" + i);
        }
        return head + "SELECT " + select + " FROM " + arrays + " AS " + columns + tail;
    }

    private static List<String> params(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
