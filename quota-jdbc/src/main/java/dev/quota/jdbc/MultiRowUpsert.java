package dev.quota.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * One catalog upsert of the form {@code INSERT ... VALUES (<row>) ON CONFLICT ...} (PostgreSQL) or
 * {@code INSERT ... VALUES (<row>) ON DUPLICATE KEY UPDATE ...} (MySQL, MariaDB) turned into one statement for many
 * rows. The parameters of the conflict clause are shared, so rows are grouped by their values; each group is
 * written with one statement (MySQL: one per {@link #MAX_VALUES_ROWS} rows). A JDBC batch executes one statement
 * per row on the server, and on MariaDB's driver one reply per row too; this executes one per group of rows. Rows
 * must not repeat a conflict key (the ledger sums its deltas per key first). Immutable and thread-safe.
 * <ul>
 *   <li>{@link Form#UNNEST} (PostgreSQL): {@code INSERT ... SELECT <row> FROM unnest(?::int8[], ?::text[], ...)
 *       AS u(c0, c1, ...) ON CONFLICT ...}, each distinct parameter of the row one array parameter holding that
 *       column of every row. Its text depends only on the statement and the parameter types, not on the row
 *       count, so the server prepares and plans it once per connection.</li>
 *   <li>{@link Form#VALUES_LIST} (MySQL, MariaDB): {@code INSERT ... VALUES (<row>), (<row>), ... ON DUPLICATE KEY
 *       UPDATE ...}, every parameter of every row a {@code ?} of its own; {@code VALUES(col)} in the update
 *       clause reads the row being inserted, so the clause serves every row.</li>
 * </ul>
 */
final class MultiRowUpsert {

    /** How the rows travel. */
    enum Form {
        /** PostgreSQL: one array parameter per column, {@code unnest}ed into rows. */
        UNNEST,
        /** MySQL and MariaDB: a {@code VALUES} list of one parenthesised row per row. */
        VALUES_LIST
    }

    /** The most rows one {@link Form#VALUES_LIST} statement carries (fewer when a row has many parameters). */
    static final int MAX_VALUES_ROWS = 500;
    /** The most parameters one {@link Form#VALUES_LIST} statement carries (MySQL allows 65,535). */
    private static final int MAX_VALUES_PARAMS = 30_000;

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9]*)");
    private static final Pattern SHAPE = Pattern.compile(
            "(?s)^(.*?\\b)VALUES\\s*\\((.*?)\\)(\\s*ON\\s+(?:CONFLICT|DUPLICATE\\s+KEY\\s+UPDATE)\\b.*)$");

    private final Form form;
    private final String head;
    private final String tail;
    /** The SELECT list: the row's expressions with each parameter replaced by its unnested column. */
    private final String select;
    /** The row's distinct parameters in order of first appearance: column {@code c<i>} of the unnest. */
    private final List<String> rowParams;
    /** The conflict clause's parameters in order of appearance. */
    private final List<String> sharedParams;
    /** {@link Form#VALUES_LIST}: one row with a {@code ?} per parameter, and the parameters in that order. */
    private final String valuesRow;
    private final List<String> rowOccurrences;

    private MultiRowUpsert(Form form, String head, String row, String tail) {
        this.form = form;
        this.head = head;
        this.tail = PARAM.matcher(tail).replaceAll("?");
        this.rowOccurrences = params(row);
        this.rowParams = List.copyOf(new LinkedHashSet<>(rowOccurrences));
        this.sharedParams = params(tail);
        this.select = PARAM.matcher(row).replaceAll(m -> "u.c" + rowParams.indexOf(m.group(1)));
        this.valuesRow = "(" + PARAM.matcher(row).replaceAll("?") + ")";
    }

    /**
     * @param sql a single-row upsert
     * @param dialect the database it runs on
     * @return its multi-row form, or null when the dialect has none (H2), or the statement does not have the
     *         {@code VALUES (...) ON CONFLICT} / {@code ON DUPLICATE KEY UPDATE} shape, or its conflict clause reads
     *         a row parameter by name, which one statement cannot share
     */
    static MultiRowUpsert of(String sql, Dialect dialect) {
        Form form = switch (dialect) {
            case POSTGRESQL -> Form.UNNEST;
            case MYSQL -> Form.VALUES_LIST;
            case H2 -> null;
        };
        if (form == null) {
            return null;
        }
        Matcher m = SHAPE.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        if (PARAM.matcher(m.group(1)).find()) {
            return null;
        }
        Set<String> shared = new LinkedHashSet<>(params(m.group(3)));
        shared.retainAll(params(m.group(2)));
        return shared.isEmpty() ? new MultiRowUpsert(form, m.group(1), m.group(2), m.group(3)) : null;
    }

    /**
     * Writes {@code rows} in list order, one statement per run of rows that share the conflict parameters. Call
     * inside {@link Db#tx}.
     */
    void execute(Db db, Handle h, List<Args> rows) {
        Map<List<Object>, List<Args>> groups = new LinkedHashMap<>();
        for (Args row : rows) {
            List<Object> key = new ArrayList<>(sharedParams.size());
            for (String p : sharedParams) {
                key.add(row.value(p));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        for (List<Args> group : groups.values()) {
            if (form == Form.VALUES_LIST) {
                int chunk = valuesRowsPerStatement();
                for (int from = 0; from < group.size(); from += chunk) {
                    executeValues(db, h, group.subList(from, Math.min(group.size(), from + chunk)));
                }
                continue;
            }
            Args first = group.get(0);
            Update update = db.updatePositional(h, sql(first));
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

    /** @return the rows of one {@link Form#VALUES_LIST} statement: its parameters stay within the limit */
    int valuesRowsPerStatement() {
        return Math.max(1, Math.min(MAX_VALUES_ROWS,
                (MAX_VALUES_PARAMS - sharedParams.size()) / Math.max(1, rowOccurrences.size())));
    }

    private void executeValues(Db db, Handle h, List<Args> rows) {
        db.executeGenerated(h, valuesSql(rows.size()), statement -> {
            int position = 1;
            for (Args row : rows) {
                position = row.setPositional(statement, rowOccurrences, position);
            }
            rows.get(0).setPositional(statement, sharedParams, position);
        });
    }

    /**
     * @param rows the number of rows
     * @return the {@link Form#VALUES_LIST} statement for that many rows
     */
    String valuesSql(int rows) {
        return head + "VALUES " + String.join(", ", Collections.nCopies(rows, valuesRow)) + tail;
    }

    /** The {@link Form#UNNEST} statement for rows typed like {@code first} (a parameter's type is the same in every row). */
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
