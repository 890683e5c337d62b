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
            Typed t = e.getValue();
            if (t.sqlType() == Types.BIGINT) {
                statement.bind(e.getKey(), (Long) t.value());
            } else {
                statement.bind(e.getKey(), (String) t.value());
            }
        }
        return statement;
    }
}
