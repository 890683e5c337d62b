package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JDBI work for the stores: one handle or one transaction per call, transparent retries of transient
 * conflicts (deadlocks, serialization failures, a lost insert race in an emulated upsert), and translation
 * of failures into the ports' vocabulary: {@link BackendUnavailableException} for infrastructure failures,
 * {@link ArithmeticException} when a sum leaves the BIGINT range.
 *
 * <p>Statements are created with Quota's own parser and no template engine, so that a caller's Jdbi
 * configuration (e.g. a {@code #name} parser or a StringTemplate engine) cannot change Quota's SQL.
 */
final class Db {

    private static final Logger LOG = LoggerFactory.getLogger(Db.class);
    private static final int MAX_ATTEMPTS = 50;
    private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();
    private static final NoTemplateEngine NO_TEMPLATES = new NoTemplateEngine();

    final Jdbi jdbi;
    final Dialect dialect;
    final SqlCatalog sql;
    /** Multi-row forms of the catalog upserts, by operation (PostgreSQL; empty when a statement has no such form). */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<MultiRowUpsert>> multiRow =
            new java.util.concurrent.ConcurrentHashMap<>();
    final String prefix;

    Db(Jdbi jdbi, Dialect dialect, String prefix) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.sql = SqlCatalog.load(dialect, prefix);
    }

    /** Thrown inside a unit of work to have it rolled back and run again (e.g. a lost insert race). */
    static final class RetryableConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableConflict(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** Runs {@code work} in one transaction, retried as a whole on transient conflicts. */
    <T> T tx(String what, HandleCallback<T, SQLException> work) {
        return runSql(what, () -> jdbi.inTransaction(work));
    }

    /** Runs {@code work} on one handle (auto-commit), retried on transient conflicts. */
    <T> T call(String what, HandleCallback<T, SQLException> work) {
        return runSql(what, () -> jdbi.withHandle(work));
    }

    /** One Jdbi call that may throw the driver's checked exception. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** {@link #run} of a call whose {@link SQLException} is wrapped as a {@link SqlFailure}. */
    private <T> T runSql(String what, SqlCall<T> call) {
        return run(what, () -> {
            try {
                return call.run();
            } catch (SQLException e) {
                throw new SqlFailure(e);
            }
        });
    }

    /**
     * One query of a Quota table that reads no rows: proves the database answers and the schema is installed.
     *
     * @throws BackendUnavailableException when it does not
     */
    void ping() {
        call("ping", h -> queryNamed(h, "ping").mapTo(Long.class).one());
    }

    /** Creates an update with Quota's parser settings. */
    Update update(Handle h, String sqlText) {
        return configure(h.createUpdate(sqlText));
    }

    /** Writes the parameters of a generated statement on the driver's statement, from position 1. */
    @FunctionalInterface
    interface ParameterWriter {
        /**
         * @param statement the statement to set the parameters of
         * @throws SQLException as the driver throws it
         */
        void write(java.sql.PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs a generated statement of many positional parameters (a multi-row {@code VALUES} list) on the handle's
     * connection directly. JDBI's positional binding is made for a few parameters: at thousands per statement a
     * profile of the MariaDB writer found 29 % of its CPU in it, and these statements need none of its mapping.
     * A driver error is thrown wrapped, as {@link #runSql} does, so that the callers and {@link #run} translate it
     * as before. Call inside {@link #tx}.
     *
     * @return the update count
     */
    int executeGenerated(Handle h, String sqlText, ParameterWriter parameters) {
        try (java.sql.PreparedStatement statement = h.getConnection().prepareStatement(sqlText)) {
            parameters.write(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** Creates a query with Quota's parser settings. */
    Query query(Handle h, String sqlText) {
        return configure(h.createQuery(sqlText));
    }

    /** A generated statement whose parameters are all positional {@code ?} (see {@link PositionalSqlParser}). */
    Update updatePositional(Handle h, String sqlText) {
        return configure(h.createUpdate(sqlText)).setSqlParser(PositionalSqlParser.INSTANCE);
    }

    /** A generated query whose parameters are all positional {@code ?} (see {@link PositionalSqlParser}). */
    Query queryPositional(Handle h, String sqlText) {
        return configure(h.createQuery(sqlText)).setSqlParser(PositionalSqlParser.INSTANCE);
    }

    /** The catalog statement {@code key} as an update. */
    Update updateNamed(Handle h, String key) {
        return update(h, sql.get(key));
    }

    /** The catalog statement {@code key} as a query. */
    Query queryNamed(Handle h, String key) {
        return query(h, sql.get(key));
    }

    /** The catalog statement {@code key} as a JDBC batch. */
    PreparedBatch batchNamed(Handle h, String key) {
        return configure(h.prepareBatch(sql.get(key)));
    }

    /**
     * Creates or updates one row: the dialect's native upsert ({@code op.upsert}) when it has one, else
     * {@code op.update} and, when no row matched, {@code op.insert}; a duplicate key on that insert means a
     * concurrent caller inserted first, and the whole unit of work is run again. Call inside {@link #tx}.
     */
    void upsert(Handle h, String op, Args args) {
        if (sql.has(op + ".upsert")) {
            args.bindTo(updateNamed(h, op + ".upsert")).execute();
            return;
        }
        int n = args.bindTo(updateNamed(h, op + ".update")).execute();
        if (n == 0) {
            try {
                args.bindTo(updateNamed(h, op + ".insert")).execute();
            } catch (JdbiException e) {
                if (isDuplicateKey(sqlCause(e))) {
                    throw new RetryableConflict("concurrent insert in " + op, e);
                }
                throw e;
            }
        }
    }

    /**
     * {@link #upsert} of many rows: one statement per group of rows where {@link MultiRowUpsert} has a form for the
     * dialect (PostgreSQL, MySQL / MariaDB), else a JDBC batch of {@code op.upsert}; row by row where the dialect
     * has no native upsert. Rows are written in list order (sort them to avoid deadlocks). Call inside {@link #tx}.
     */
    void upsertAll(Handle h, String op, java.util.List<Args> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (!sql.has(op + ".upsert") || rows.size() == 1) {
            rows.forEach(args -> upsert(h, op, args));
            return;
        }
        MultiRowUpsert multi = multiRow.computeIfAbsent(op,
                k -> java.util.Optional.ofNullable(MultiRowUpsert.of(sql.get(k + ".upsert"), dialect))).orElse(null);
        if (multi != null) {
            multi.execute(this, h, rows);
            return;
        }
        PreparedBatch batch = batchNamed(h, op + ".upsert");
        rows.forEach(args -> args.bindTo(batch).add());
        batch.execute();
    }

    /**
     * A {@link java.sql.Array} argument made by the driver ({@link java.sql.Connection#createArrayOf}) when the
     * statement is bound: one parameter carrying a whole column of a batch, as PostgreSQL's {@code unnest} reads it.
     *
     * @param elementType the driver's element type name, e.g. {@code "int8"}, {@code "text"}
     * @param values the column, nulls allowed
     */
    static Argument array(String elementType, Object[] values) {
        return (position, statement, ctx) -> statement.setArray(position,
                statement.getConnection().createArrayOf(elementType, values));
    }

    /** The catalog update {@code key} for many rows, as one JDBC batch. Call inside {@link #tx}. */
    void updateAll(Handle h, String key, java.util.List<Args> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = batchNamed(h, key);
        rows.forEach(args -> args.bindTo(batch).add());
        batch.execute();
    }

    private <S extends SqlStatement<S>> S configure(S statement) {
        return statement.setSqlParser(PARSER)
                .setTemplateEngine(NO_TEMPLATES)
                .configure(SqlStatements.class, c -> c.setUnusedBindingAllowed(true));
    }

    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }
    }

    private <T> T run(String what, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RetryableConflict | JdbiException | SqlFailure e) {
                SQLException sqlCause = sqlCause(e);
                if (isOutOfRange(sqlCause)) {
                    ArithmeticException overflow = new ArithmeticException(what + ": result out of the BIGINT range");
                    overflow.initCause(e);
                    throw overflow;
                }
                boolean retryable = e instanceof RetryableConflict || isTransient(sqlCause);
                if (retryable && attempt < MAX_ATTEMPTS) {
                    LOG.debug("{}: transient conflict on attempt {}, retrying: {}", what, attempt,
                            describe(e, sqlCause));
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1, 1 + attempt * 500_000L));
                    continue;
                }
                throw new BackendUnavailableException(what + " failed: " + describe(e, sqlCause), e);
            }
        }
    }

    private static String describe(Exception e, SQLException sqlCause) {
        if (sqlCause != null) {
            return brief(sqlCause.getMessage()) + " (SQLState " + sqlCause.getSQLState() + ", code "
                    + sqlCause.getErrorCode() + ")";
        }
        return brief(e.getMessage());
    }

    /** The first line of a driver message, shortened: some drivers append the whole (huge) statement. */
    static String brief(String message) {
        if (message == null) {
            return "";
        }
        String first = message.lines().findFirst().orElse("").strip();
        if (first.endsWith("; SQL statement:")) {
            first = first.substring(0, first.length() - "; SQL statement:".length());
        }
        return first.length() <= 300 ? first : first.substring(0, 300) + "...";
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static boolean isOutOfRange(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("22003".equals(s.getSQLState()) || s.getErrorCode() == 1690) {
                return true;
            }
        }
        return false;
    }

    /** Deadlocks and serialization failures (all dialects), H2's concurrent-update and lock-timeout errors. */
    static boolean isTransient(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if ("40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state)) {
                return true;
            }
            int code = s.getErrorCode();
            if (code == 1213 || code == 90131 || code == 50200) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database refused a value as data: SQLState class 22 (data exception: a NUL character, a value too long
     * or out of range, an invalid encoding) or class 23 (integrity constraint) other than a duplicate key, which
     * is the trace of a concurrent writer of the same key, not of bad data.
     */
    static boolean isDataError(SQLException e) {
        if (e == null || isDuplicateKey(e)) {
            return false;
        }
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062 || s.getErrorCode() == 23505) {
                return true;
            }
        }
        return false;
    }
}
