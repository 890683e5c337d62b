package dev.quota.jdbc;

import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Column lists, the filter-to-WHERE translation and row mapping shared by the usage log and the reports. */
final class UsageSql {

    /** The stored columns of an event, in insert order. */
    static final List<String> COLUMNS = List.of("request_id", "user_id", "api_key_id", "account_id", "group_id",
            "billing_mode", "platform", "model", "input_tokens", "output_tokens", "cache_creation_tokens",
            "cache_read_tokens", "total_cost", "actual_cost", "input_cost", "output_cost", "cache_creation_cost",
            "cache_read_cost", "http_status", "is_error", "error_message", "response_time_ms", "attempts",
            "occurred_at");

    static final String COLUMN_LIST = String.join(", ", COLUMNS);

    /** Aggregates that {@link #totals(ResultSet)} reads; sums are exact integers on every dialect. */
    static final String TOTALS = """
            COUNT(*) AS requests,
            COALESCE(SUM(is_error), 0) AS error_requests,
            COALESCE(SUM(input_tokens), 0) AS input_tokens,
            COALESCE(SUM(output_tokens), 0) AS output_tokens,
            COALESCE(SUM(cache_creation_tokens), 0) AS cache_creation_tokens,
            COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens,
            COALESCE(SUM(total_cost), 0) AS total_cost,
            COALESCE(SUM(actual_cost), 0) AS actual_cost,
            COALESCE(SUM(input_cost), 0) AS input_cost,
            COALESCE(SUM(output_cost), 0) AS output_cost,
            COALESCE(SUM(cache_creation_cost), 0) AS cache_creation_cost,
            COALESCE(SUM(cache_read_cost), 0) AS cache_read_cost,
            COALESCE(SUM(response_time_ms), 0) AS response_time_ms_sum""";

    private UsageSql() {
    }

    /**
     * Translates a filter into a WHERE condition with named parameters ({@code f_*}) added to {@code args}.
     *
     * @return the condition, {@code 1 = 1} when the filter matches everything
     */
    static String where(UsageFilter f, Args args) {
        List<String> c = new ArrayList<>();
        if (f.userId() != null) {
            c.add("user_id = :f_user");
            args.put("f_user", f.userId());
        }
        if (f.apiKeyId() != null) {
            c.add("api_key_id = :f_key");
            args.put("f_key", f.apiKeyId());
        }
        if (f.accountId() != null) {
            c.add("account_id = :f_account");
            args.put("f_account", f.accountId());
        }
        if (f.groupId() != null) {
            c.add("group_id = :f_group");
            args.put("f_group", f.groupId());
        }
        if (f.model() != null) {
            c.add("model = :f_model");
            args.put("f_model", f.model());
        }
        if (f.platform() != null) {
            c.add("platform = :f_platform");
            args.put("f_platform", f.platform());
        }
        if (f.from() != null) {
            c.add("occurred_at >= :f_from");
            args.put("f_from", millisCeil(f.from()));
        }
        if (f.to() != null) {
            c.add("occurred_at < :f_to");
            args.put("f_to", millisCeil(f.to()));
        }
        return c.isEmpty() ? "1 = 1" : String.join(" AND ", c);
    }

    /**
     * Stored times are whole milliseconds, so a bound with a sub-millisecond part is rounded up: an event at
     * millisecond {@code m} is at or after {@code t} exactly when {@code m >= ceil(t)}.
     */
    static long millisCeil(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : Math.addExact(ms, 1);
    }

    static String render(String template, String where) {
        return template.replace("${usageColumns}", COLUMN_LIST).replace("${totals}", TOTALS)
                .replace("${where}", where);
    }

    /**
     * @param db the database
     * @return a mapper of usage rows whose decoding failures are {@link dev.quota.core.InvalidDataException}
     *         naming the row
     */
    static org.jdbi.v3.core.mapper.RowMapper<UsageEvent> eventMapper(Db db) {
        return Rows.decoding(db.prefix + "usage_log", rs -> "user_id=" + rs.getLong("user_id") + ", request_id="
                + DeadLetters.escape(rs.getString("request_id")), (rs, ctx) -> event(rs));
    }

    static UsageEvent event(ResultSet rs) throws SQLException {
        return UsageEvent.builder(rs.getString("request_id"), rs.getLong("user_id"))
                .ids(Rows.nullableLong(rs, "api_key_id"), Rows.nullableLong(rs, "account_id"),
                        Rows.nullableLong(rs, "group_id"))
                .billingMode(BillingMode.valueOf(rs.getString("billing_mode")))
                .platform(rs.getString("platform")).model(rs.getString("model"))
                .tokens(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_creation_tokens"),
                        rs.getLong("cache_read_tokens"))
                .totalCost(Money.ofNanos(rs.getLong("total_cost"))).actualCost(Money.ofNanos(rs.getLong("actual_cost")))
                .costParts(Money.ofNanos(rs.getLong("input_cost")), Money.ofNanos(rs.getLong("output_cost")),
                        Money.ofNanos(rs.getLong("cache_creation_cost")), Money.ofNanos(rs.getLong("cache_read_cost")))
                .httpStatus(rs.getInt("http_status")).errorMessage(rs.getString("error_message"))
                .responseTimeMs(rs.getLong("response_time_ms")).attempts(rs.getInt("attempts"))
                .occurredAt(Instant.ofEpochMilli(rs.getLong("occurred_at")))
                .build();
    }

    static UsageTotals totals(ResultSet rs) throws SQLException {
        long requests = Rows.sum(rs, "requests");
        long errors = Rows.sum(rs, "error_requests");
        return new UsageTotals(requests, requests - errors, errors,
                Rows.sum(rs, "input_tokens"), Rows.sum(rs, "output_tokens"),
                Rows.sum(rs, "cache_creation_tokens"), Rows.sum(rs, "cache_read_tokens"),
                Money.ofNanos(Rows.sum(rs, "total_cost")), Money.ofNanos(Rows.sum(rs, "actual_cost")),
                Money.ofNanos(Rows.sum(rs, "input_cost")), Money.ofNanos(Rows.sum(rs, "output_cost")),
                Money.ofNanos(Rows.sum(rs, "cache_creation_cost")), Money.ofNanos(Rows.sum(rs, "cache_read_cost")),
                Rows.sum(rs, "response_time_ms_sum"));
    }
}
