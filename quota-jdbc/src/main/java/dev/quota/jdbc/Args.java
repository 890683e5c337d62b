package dev.quota.jdbc;

import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/** Named, typed statement arguments; {@code null}s keep their type (BIGINT or VARCHAR) so every driver accepts them. */
final class Args {

    private record Typed(Object value, int sqlType) {
    }

    private final Map<String, Typed> values = new LinkedHashMap<>();

    static Args of() {
        return new Args();
    }

    Args put(String name, long value) {
        values.put(name, new Typed(value, Types.BIGINT));
        return this;
    }

    Args putNullable(String name, Long value) {
        values.put(name, new Typed(value, Types.BIGINT));
        return this;
    }

    Args put(String name, String value) {
        values.put(name, new Typed(value, Types.VARCHAR));
        return this;
    }

    <S extends SqlStatement<S>> S bindTo(S statement) {
        // Always the boxed overloads, also for nulls: a JDBC batch prepares one binder per name from its first
        // row, so a name must be bound the same way in every row.
        for (Map.Entry<String, Typed> e : values.entrySet()) {
            bind(statement, e.getKey(), e.getValue());
        }
        return statement;
    }

    /**
     * @param name a parameter name
     * @return its value (null when unset or bound to null)
     */
    Object value(String name) {
        Typed t = values.get(name);
        return t == null ? null : t.value();
    }

    /**
     * @param name a parameter name
     * @return true when it is bound as text (VARCHAR), false when as BIGINT or unset
     */
    boolean isText(String name) {
        Typed t = values.get(name);
        return t != null && t.sqlType() == Types.VARCHAR;
    }

    /**
     * Binds the values of {@code names}, in that order, to the positions from {@code position} on.
     * @return the next free position
     */
    <S extends SqlStatement<S>> int bindPositional(S statement, java.util.List<String> names, int position) {
        int p = position;
        for (String name : names) {
            Typed t = required(name);
            if (t.sqlType() == Types.BIGINT) {
                statement.bind(p++, (Long) t.value());
            } else {
                statement.bind(p++, (String) t.value());
            }
        }
        return p;
    }

    /**
     * Sets the values of {@code names}, in that order, on a driver's statement from {@code position} (1-based) on;
     * a null keeps its type.
     * @return the next free position
     * @throws java.sql.SQLException as the driver throws it
     */
    int setPositional(java.sql.PreparedStatement statement, java.util.List<String> names, int position)
            throws java.sql.SQLException {
        int p = position;
        for (String name : names) {
            Typed t = required(name);
            if (t.value() == null) {
                statement.setNull(p++, t.sqlType());
            } else if (t.sqlType() == Types.BIGINT) {
                statement.setLong(p++, (Long) t.value());
            } else {
                statement.setString(p++, (String) t.value());
            }
        }
        return p;
    }

    private Typed required(String name) {
        Typed t = values.get(name);
        if (t == null) {
            throw new IllegalStateException("no value for parameter " + name);
        }
        return t;
    }

    private static void bind(SqlStatement<?> statement, String name, Typed t) {
        if (t.sqlType() == Types.BIGINT) {
            statement.bind(name, (Long) t.value());
        } else {
            statement.bind(name, (String) t.value());
        }
    }
}
