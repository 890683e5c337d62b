package dev.quota.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.Update;

/**
 * One catalog upsert of the form {@code INSERT ... VALUES (<row>) ON CONFLICT ...} turned into one statement
 * for many rows: the {@code VALUES} tuple is repeated once per row with its parameters renamed per row
 * (named parameters become positional ones), while the parameters of the conflict clause are shared, so rows
 * are grouped by their values. A JDBC batch still executes one statement per row on the server; this executes
 * one per group of up to {@link #ROWS_PER_STATEMENT} rows. Rows must not repeat a conflict key (the ledger sums
 * its deltas per key first). Immutable and thread-safe.
 */
final class MultiRowUpsert {

    /** Rows per statement: well below PostgreSQL's 32,767 bind parameters for every catalog upsert. */
    static final int ROWS_PER_STATEMENT = 500;

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9]*)");
    private static final Pattern SHAPE = Pattern.compile("(?s)^(.*?\\bVALUES\\s*)(\\(.*?\\))(\\s*ON\\s+CONFLICT\\b.*)$");

    private final String head;
    private final String tuple;
    private final String tail;
    /** The tuple's parameters in order of appearance (a name may repeat). */
    private final List<String> rowParams;
    /** The conflict clause's parameters in order of appearance. */
    private final List<String> sharedParams;

    private MultiRowUpsert(String head, String tuple, String tail) {
        this.head = head;
        this.tuple = PARAM.matcher(tuple).replaceAll("?");
        this.tail = PARAM.matcher(tail).replaceAll("?");
        this.rowParams = params(tuple);
        this.sharedParams = params(tail);
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
            for (int i = 0; i < group.size(); i += ROWS_PER_STATEMENT) {
                List<Args> chunk = group.subList(i, Math.min(group.size(), i + ROWS_PER_STATEMENT));
                Update update = prepare.apply(sql(chunk.size()));
                int position = 0;
                for (Args row : chunk) {
                    position = row.bindPositional(update, rowParams, position);
                }
                chunk.get(0).bindPositional(update, sharedParams, position);
                update.execute();
            }
        }
    }

    private String sql(int rows) {
        StringBuilder sb = new StringBuilder(head.length() + tail.length() + rows * (tuple.length() + 8));
        sb.append(head);
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sb.append(", ");
            }
            sb.append(tuple);
        }
        return sb.append(tail).toString();
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
