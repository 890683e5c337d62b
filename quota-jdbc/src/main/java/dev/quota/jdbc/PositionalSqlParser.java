package dev.quota.jdbc;

import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A parser for the statements Quota generates with positional {@code ?} parameters only (multi-row INSERTs and
 * upserts, key look-ups): every {@code ?} is a parameter, nothing else is. Generated statements vary in length
 * with their row count, so JDBI's lexer (and its cache keyed by text) costs more client CPU than the statement
 * itself on a 500-row batch; this parser is a single scan. Never use it for text with {@code ?} in a literal.
 * Stateless and thread-safe.
 */
final class PositionalSqlParser implements SqlParser {

    static final PositionalSqlParser INSTANCE = new PositionalSqlParser();

    private PositionalSqlParser() {
    }

    @Override
    public ParsedSql parse(String sql, StatementContext ctx) {
        ParsedSql.Builder b = ParsedSql.builder();
        int start = 0;
        for (int i = sql.indexOf('?'); i >= 0; i = sql.indexOf('?', start)) {
            b.append(sql.substring(start, i)).appendPositionalParameter();
            start = i + 1;
        }
        return b.append(sql.substring(start)).build();
    }

    @Override
    public String nameParameter(String rawName, StatementContext ctx) {
        return "?";
    }
}
