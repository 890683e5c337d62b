package dev.quota.jdbc;

import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageTotals;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link UsageLog} on the {@code usage_log} table, idempotent by the UNIQUE key {@code (user_id, request_id)}
 * ({@link UsageKey}: a request id is unique per user).
 *
 * <p>Events are inserted with multi-row statements of up to {@value #ROWS_PER_STATEMENT} rows whose
 * duplicate rows are skipped by the database itself: PostgreSQL {@code ON CONFLICT (user_id, request_id) DO NOTHING},
 * MySQL/MariaDB {@code INSERT IGNORE}, H2 {@code MERGE ... WHEN NOT MATCHED THEN INSERT}. The statement's
 * update count is then exactly the number of newly stored rows on every dialect and driver setting (JDBC
 * batch update counts are not: rewritten or bulk batches report {@code SUCCESS_NO_INFO}). Rows are sorted by
 * key (user, then request id) so that concurrent writers of overlapping batches take row locks in the same order; each
 * statement commits on its own and is retried on a deadlock or a lost insert race, so a failed call can
 * simply be repeated. The ledger's strict insert ({@link #insertStrict}, MySQL/MariaDB and H2) works inside its
 * transaction; on PostgreSQL the ledger stores a batch with {@link LedgerBatchStatement}.
 */
final class JdbcUsageLog implements UsageLog {

    /** Rows per INSERT statement: 24 parameters each, well below every driver's parameter limit. */
    static final int ROWS_PER_STATEMENT = 500;

    private static final List<String> H2_TYPES = List.of("VARCHAR(128)", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
            "VARCHAR(16)", "VARCHAR(128)", "VARCHAR(128)", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
            "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "INTEGER", "SMALLINT", "CHARACTER LARGE OBJECT",
            "BIGINT", "INTEGER", "BIGINT");

    /** One row of the usage log's columns as positional parameters. */
    private static final String PLAIN_ROW = "(" + "?, ".repeat(UsageSql.COLUMNS.size() - 1) + "?)";

    private final Db db;
    private final String table;

    JdbcUsageLog(Db db) {
        this.db = db;
        this.table = db.prefix + "usage_log";
    }

    @Override
    public boolean append(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        return appendAll(List.of(event)) == 1;
    }

    @Override
    public int appendAll(Collection<UsageEvent> events) {
        Objects.requireNonNull(events, "events");
        List<UsageEvent> sorted = uniqueSorted(events);
        int stored = 0;
        for (int i = 0; i < sorted.size(); i += ROWS_PER_STATEMENT) {
            List<UsageEvent> chunk = sorted.subList(i, Math.min(sorted.size(), i + ROWS_PER_STATEMENT));
            stored += db.call("usage log append", h -> insert(h, chunk));
        }
        return stored;
    }

    /** Key order: user, then request id. Concurrent writers lock rows in this order. */
    static final Comparator<UsageEvent> KEY_ORDER = Comparator.comparingLong(UsageEvent::userId)
            .thenComparing(UsageEvent::requestId);

    /**
     * @return the events without repeated keys (the first of each key wins), sorted by {@link #KEY_ORDER}
     * @throws IllegalArgumentException if an event is null
     */
    static List<UsageEvent> uniqueSorted(Collection<UsageEvent> events) {
        Map<UsageKey, UsageEvent> unique = new LinkedHashMap<>();
        for (UsageEvent e : events) {
            if (e == null) {
                throw new IllegalArgumentException("events must not contain null");
            }
            unique.putIfAbsent(UsageKey.of(e), e);
        }
        List<UsageEvent> sorted = new ArrayList<>(unique.values());
        sorted.sort(KEY_ORDER);
        return sorted;
    }

    /** Inserts rows whose key is new; returns how many were inserted. Works inside a transaction. */
    int insert(Handle h, List<UsageEvent> chunk) {
        try {
            return db.executeGenerated(h, insertSql(chunk.size()), statement -> setRows(statement, chunk));
        } catch (RuntimeException ex) {
            if (Db.isDuplicateKey(Db.sqlCause(ex))) {
                // A concurrent writer inserted one of these ids first (H2 reports the race rather than
                // waiting); running the statement again skips it.
                throw new Db.RetryableConflict("concurrent insert of the same request id", ex);
            }
            throw ex;
        }
    }

    /**
     * Inserts every event of {@code chunk} with one plain multi-row INSERT (no duplicate skipping, no IGNORE that
     * would turn a refused value into a silently altered one). Works inside a transaction.
     *
     * @throws Db.RetryableConflict when a key is already stored (a concurrent writer won the race)
     */
    void insertStrict(Handle h, List<UsageEvent> chunk) {
        String sql = "INSERT INTO " + table + " (" + UsageSql.COLUMN_LIST + ") VALUES " + rows(PLAIN_ROW, chunk.size());
        try {
            db.executeGenerated(h, sql, statement -> setRows(statement, chunk));
        } catch (RuntimeException ex) {
            if (Db.isDuplicateKey(Db.sqlCause(ex))) {
                throw new Db.RetryableConflict("concurrent insert of the same usage key", ex);
            }
            throw ex;
        }
    }

    /**
     * @return the keys of {@code chunk} (at most {@value #ROWS_PER_STATEMENT} events) already stored
     */
    Set<UsageKey> existingKeys(Handle h, List<UsageEvent> chunk) {
        // One probe of the unique key (user_id, request_id) per key. On PostgreSQL a join with a VALUES list
        // plans as a nested loop of index-only scans (about 1.5 ms per 500 keys); a row-value IN list, or two
        // IN lists on user_id and request_id, planned as bitmap scans of 30 to 110 ms there.
        Set<UsageKey> wanted = new LinkedHashSet<>();
        chunk.forEach(e -> wanted.add(UsageKey.of(e)));
        String keys = rows("(?, ?)", wanted.size());
        String sql = db.dialect == Dialect.POSTGRESQL
                ? "SELECT l.user_id, l.request_id FROM " + table + " l JOIN (VALUES " + keys
                        + ") AS v(u, r) ON l.user_id = v.u AND l.request_id = v.r"
                : "SELECT user_id, request_id FROM " + table + " WHERE (user_id, request_id) IN (" + keys + ")";
        Query q = db.queryPositional(h, sql);
        int p = 0;
        for (UsageKey k : wanted) {
            q.bind(p++, k.userId());
            q.bind(p++, k.requestId());
        }
        Set<UsageKey> found = new HashSet<>();
        for (UsageKey k : q.map((rs, ctx) -> new UsageKey(rs.getLong(1), rs.getString(2))).list()) {
            if (wanted.contains(k)) {
                found.add(k);
            }
        }
        return found;
    }

    /** Sets every column of every event of {@code chunk}, in {@link UsageSql#COLUMNS} order, from position 1. */
    private static void setRows(PreparedStatement s, List<UsageEvent> chunk) throws SQLException {
        int p = 1;
        for (UsageEvent e : chunk) {
            s.setString(p++, e.requestId());
            s.setLong(p++, e.userId());
            setNullable(s, p++, e.apiKeyId());
            setNullable(s, p++, e.accountId());
            setNullable(s, p++, e.groupId());
            s.setString(p++, e.billingMode().name());
            setNullable(s, p++, e.platform());
            setNullable(s, p++, e.model());
            s.setLong(p++, e.tokens().input());
            s.setLong(p++, e.tokens().output());
            s.setLong(p++, e.tokens().cacheCreation());
            s.setLong(p++, e.tokens().cacheRead());
            s.setLong(p++, e.costs().total().nanos());
            s.setLong(p++, e.costs().actual().nanos());
            s.setLong(p++, e.costs().input().nanos());
            s.setLong(p++, e.costs().output().nanos());
            s.setLong(p++, e.costs().cacheCreation().nanos());
            s.setLong(p++, e.costs().cacheRead().nanos());
            s.setInt(p++, e.outcome().httpStatus());
            s.setInt(p++, e.outcome().isError() ? 1 : 0);
            setNullable(s, p++, e.outcome().errorMessage());
            s.setLong(p++, e.outcome().responseTimeMs());
            s.setInt(p++, e.outcome().attempts());
            s.setLong(p++, e.occurredAt().toEpochMilli());
        }
    }

    private static void setNullable(PreparedStatement s, int position, Long value) throws SQLException {
        if (value == null) {
            s.setNull(position, Types.BIGINT);
        } else {
            s.setLong(position, value);
        }
    }

    private static void setNullable(PreparedStatement s, int position, String value) throws SQLException {
        if (value == null) {
            s.setNull(position, Types.VARCHAR);
        } else {
            s.setString(position, value);
        }
    }

    /** @return {@code count} copies of {@code row}, comma-separated: the rows of a multi-row VALUES list */
    private static String rows(String row, int count) {
        return String.join(", ", Collections.nCopies(count, row));
    }

    private String insertSql(int rows) {
        switch (db.dialect) {
            case POSTGRESQL -> {
                return "INSERT INTO " + table + " (" + UsageSql.COLUMN_LIST + ") VALUES " + rows(PLAIN_ROW, rows)
                        + " ON CONFLICT (user_id, request_id) DO NOTHING";
            }
            case MYSQL -> {
                return "INSERT IGNORE INTO " + table + " (" + UsageSql.COLUMN_LIST + ") VALUES " + rows(PLAIN_ROW, rows);
            }
            case H2 -> {
                StringJoiner typed = new StringJoiner(", ", "(", ")");
                H2_TYPES.forEach(t -> typed.add("CAST(? AS " + t + ")"));
                String values = rows(typed.toString(), rows);
                StringJoiner source = new StringJoiner(", ");
                UsageSql.COLUMNS.forEach(c -> source.add("s." + c));
                return "MERGE INTO " + table + " t USING (VALUES " + values + ") AS s(" + UsageSql.COLUMN_LIST
                        + ") ON t.user_id = s.user_id AND t.request_id = s.request_id WHEN NOT MATCHED THEN INSERT (" + UsageSql.COLUMN_LIST
                        + ") VALUES (" + source + ")";
            }
            default -> throw new IllegalStateException("unknown dialect " + db.dialect);
        }
    }

    @Override
    public Optional<UsageEvent> find(UsageKey key) {
        Objects.requireNonNull(key, "key");
        String requestId = key.requestId();
        if (requestId.isEmpty() || requestId.length() > UsageEvent.MAX_REQUEST_ID_LENGTH) {
            return Optional.empty();
        }
        return db.call("usage log find", h -> db.query(h, UsageSql.render(db.sql.get("usage.find"), ""))
                .bind("userId", key.userId()).bind("requestId", requestId).map(UsageSql.eventMapper(db)).findOne());
    }

    @Override
    public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        return db.tx("usage log list", h -> list(db, h, filter, page));
    }

    static Page<UsageEvent> list(Db db, Handle h, UsageFilter filter, PageRequest page) {
        Args args = Args.of();
        String where = UsageSql.where(filter, args);
        long total = args.bindTo(db.query(h, UsageSql.render(db.sql.get("usage.count"), where)))
                .map((rs, ctx) -> Rows.sum(rs, "n")).one();
        List<UsageEvent> items = total == 0 ? List.of()
                : args.put("limit", page.size()).put("offset", page.offset())
                        .bindTo(db.query(h, UsageSql.render(db.sql.get("usage.list"), where)))
                        .map(UsageSql.eventMapper(db)).list();
        return new Page<>(items, page.page(), page.size(), total);
    }

    @Override
    public UsageTotals totals(UsageFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return db.call("usage log totals", h -> totals(db, h, filter));
    }

    static UsageTotals totals(Db db, Handle h, UsageFilter filter) {
        Args args = Args.of();
        String where = UsageSql.where(filter, args);
        return args.bindTo(db.query(h, UsageSql.render(db.sql.get("usage.totals"), where)))
                .map((rs, ctx) -> UsageSql.totals(rs)).one();
    }
}
