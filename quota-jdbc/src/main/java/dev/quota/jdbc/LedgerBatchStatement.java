package dev.quota.jdbc;

import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * PostgreSQL: a whole {@code ledger().store} batch in ONE statement, so one round trip per batch. The statement
 * ({@code usage.store_batch}) is a chain of data-modifying CTEs: the events arrive as column arrays
 * ({@code unnest}), {@code INSERT ... ON CONFLICT (user_id, request_id) DO NOTHING RETURNING} stores the new ones,
 * and every counter and roll-up is then changed by the sums the server computes from exactly the rows it
 * inserted ({@code usage.fresh.*}: per balance, user × platform row, subscription, API key row, API key × model
 * row and hourly roll-up). Those counter statements are the catalog's own single-row upserts and updates
 * ({@code balance.credit.upsert}, {@code platform_quota.add_usage.upsert}, {@code subscription.add_usage},
 * {@code api_key_usage.add.upsert}, {@code api_key_model_usage.add.upsert}, {@code rollup.add.upsert}) with their
 * row read from the sums instead of {@code VALUES}, so the window and reset rules exist once. The values that
 * depend on {@code now} and the zone (window starts, expiry bounds) are computed by the same Java helpers as the
 * other paths and bound once per statement; the hour, model and tokens of an event's roll-up are computed in Java
 * ({@link HourlyUsage#of}) and sent as extra columns. An event with an API key and a model moves two API key rows
 * (schema version 7), not seven window counters.
 *
 * <p>Concurrency: the statement runs in the ledger's transaction (READ COMMITTED). A key a concurrent writer
 * inserted first is waited for and skipped by the unique key, so it moves no counter here; a counter row changed
 * by a concurrent writer is updated on its newest version by {@code ON CONFLICT DO UPDATE} / {@code UPDATE}, so
 * the sums add up whatever the interleaving. Each counter statement takes its rows sorted by key. The text is
 * constant, so the server prepares and plans it once per connection. Immutable and thread-safe.
 */
final class LedgerBatchStatement {

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9]*)");
    private static final Pattern UPSERT = Pattern.compile("(?s)^(.*?\\b)VALUES\\s*\\((.*?)\\)(\\s*ON\\s+CONFLICT\\b.*)$");
    private static final Pattern UPDATE = Pattern.compile("(?s)^(UPDATE\\b.*?)(\\s+WHERE\\b.*)$");
    private static final Pattern SOURCE_COLUMN = Pattern.compile("\\bAS\\s+\"([A-Za-z0-9]+)\"");

    /** The array element types of the event columns, in the order of {@link UsageSql#COLUMNS}. */
    private static final List<String> EVENT_TYPES = List.of("text", "int8", "int8", "int8", "int8", "text",
            "text", "text", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "int4",
            "int2", "text", "int8", "int4", "int8");

    /** One counter statement of the chain and the batch-constant values its {@code ?} parameters take. */
    private record Part(String sql, List<String> scalars, BiFunction<Instant, ZoneId, Args> values) {
    }

    private final Db db;
    private final String sql;
    private final List<Part> parts;

    LedgerBatchStatement(Db db) {
        this.db = db;
        List<Part> p = new ArrayList<>();
        p.add(part(db, "balance.credit.upsert", "usage.fresh.balance", (now, zone) -> Args.of()));
        p.add(part(db, "platform_quota.add_usage.upsert", "usage.fresh.platform_quota",
                (now, zone) -> JdbcPlatformQuotaStore.addUsageArgs(0, "", 0, now, zone)));
        p.add(part(db, "subscription.add_usage", "usage.fresh.subscription",
                (now, zone) -> JdbcSubscriptionStore.addUsageArgs(0, 0, 0, now)));
        p.add(part(db, "api_key_usage.add.upsert", "usage.fresh.key_usage",
                (now, zone) -> ApiKeyRows.addArgs(0, 0, 0, now)));
        p.add(part(db, "api_key_model_usage.add.upsert", "usage.fresh.key_model_usage",
                (now, zone) -> ApiKeyRows.addModelArgs(0, "", 0, now)));
        p.add(part(db, "rollup.add.upsert", "usage.fresh.rollup", (now, zone) -> Args.of()));
        this.parts = List.copyOf(p);
        StringBuilder counters = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            counters.append(",\nc").append(i).append(" AS (").append(parts.get(i).sql()).append(')');
        }
        this.sql = UsageSql.render(db.sql.get("usage.store_batch"), "").replace("${counters}", counters);
    }

    /**
     * Stores the events of {@code events} whose key is not stored yet and applies their counter and roll-up
     * changes, in one statement. Works inside the ledger's transaction.
     *
     * @param events events with distinct keys, in {@link JdbcUsageLog#KEY_ORDER}
     * @return the keys inserted
     */
    Set<UsageKey> store(Handle h, List<UsageEvent> events, Instant now, ZoneId zone) {
        int n = events.size();
        Object[][] columns = new Object[EVENT_TYPES.size() + 3][n];
        for (int i = 0; i < n; i++) {
            UsageEvent e = events.get(i);
            HourlyUsage rollup = HourlyUsage.of(e, zone);
            Object[] row = {e.requestId(), e.userId(), e.apiKeyId(), e.accountId(), e.groupId(),
                e.billingMode().name(), e.platform(), e.model(), e.tokens().input(), e.tokens().output(),
                e.tokens().cacheCreation(), e.tokens().cacheRead(), e.costs().total().nanos(), e.costs().actual().nanos(),
                e.costs().input().nanos(), e.costs().output().nanos(), e.costs().cacheCreation().nanos(),
                e.costs().cacheRead().nanos(), e.outcome().httpStatus(), (short) (e.outcome().isError() ? 1 : 0), e.outcome().errorMessage(),
                e.outcome().responseTimeMs(), e.outcome().attempts(), e.occurredAt().toEpochMilli(),
                rollup.hour().toEpochMilli(), rollup.model(), rollup.tokens()};
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
        }
        Query q = db.queryPositional(h, sql);
        int position = 0;
        for (int c = 0; c < columns.length; c++) {
            String type = c < EVENT_TYPES.size() ? EVENT_TYPES.get(c) : c == EVENT_TYPES.size() + 1 ? "text" : "int8";
            q.bind(position++, Db.array(type, columns[c]));
        }
        for (Part part : parts) {
            position = part.values().apply(now, zone).bindPositional(q, part.scalars(), position);
        }
        return new HashSet<>(q.map((rs, ctx) -> new UsageKey(rs.getLong(1), rs.getString(2))).list());
    }

    /**
     * The catalog statement {@code statement} (a single-row {@code INSERT ... VALUES (...) ON CONFLICT} or an
     * {@code UPDATE ... WHERE}) reading its row from the source query {@code source} (alias {@code u}): each
     * parameter named like a column of the source ({@code AS "name"}) becomes that column, every other one a
     * positional parameter bound once per statement.
     */
    private static Part part(Db db, String statement, String source, BiFunction<Instant, ZoneId, Args> values) {
        String from = db.sql.get(source);
        Set<String> sourceColumns = new LinkedHashSet<>();
        Matcher c = SOURCE_COLUMN.matcher(from);
        while (c.find()) {
            sourceColumns.add(c.group(1));
        }
        List<String> scalars = new ArrayList<>();
        Matcher m = PARAM.matcher(db.sql.get(statement));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (sourceColumns.contains(name)) {
                m.appendReplacement(out, Matcher.quoteReplacement("u.\"" + name + "\""));
            } else {
                scalars.add(name);
                m.appendReplacement(out, "?");
            }
        }
        m.appendTail(out);
        String text = out.toString();
        Matcher upsert = UPSERT.matcher(text);
        Matcher update = UPDATE.matcher(text);
        if (upsert.matches()) {
            text = upsert.group(1) + "SELECT " + upsert.group(2) + " FROM (" + from + ") AS u" + upsert.group(3);
        } else if (update.matches()) {
            text = update.group(1) + " FROM (" + from + ") AS u" + update.group(2);
        } else {
            throw new IllegalStateException(statement + " is neither an INSERT ... VALUES ... ON CONFLICT nor an"
                    + " UPDATE ... WHERE");
        }
        return new Part(text, List.copyOf(scalars), values);
    }
}
