package dev.quota.faults.support;

import dev.quota.core.Money;
import dev.quota.core.usage.UsageKey;
import dev.quota.jdbc.JdbcQuota;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source of truth read back with plain SQL: the ledger rows of a table prefix, their costs, the balances
 * and the dead letters, for the exact assertions that end every scenario.
 *
 * @param sql the SQL adapter
 */
public record Books(JdbcQuota sql) {

    /** @return every ledger row's key with its total cost in nanos (a key stored twice would collide) */
    public Map<UsageKey, Long> ledger() {
        List<Map<String, Object>> rows = sql.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id, request_id, total_cost FROM " + sql.tablePrefix() + "usage_log").mapToMap().list());
        Map<UsageKey, Long> out = new HashMap<>();
        for (Map<String, Object> row : rows) {
            UsageKey key = new UsageKey(((Number) row.get("user_id")).longValue(), (String) row.get("request_id"));
            if (out.put(key, ((Number) row.get("total_cost")).longValue()) != null) {
                throw new AssertionError("the ledger holds " + key + " twice");
            }
        }
        return out;
    }

    /** @return how many ledger rows there are */
    public long ledgerRows() {
        return sql.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + sql.tablePrefix() + "usage_log")
                .mapTo(Long.class).one());
    }

    /**
     * @param userId a user
     * @return the stored balance
     */
    public Money balance(long userId) {
        return sql.balances().find(userId).orElseThrow(() -> new AssertionError("no balance row for user " + userId));
    }

    /** @return the keys of the dead-letter table ({@code <prefix>usage_dead_letter}) */
    public Set<UsageKey> deadLetters() {
        // request_id is TEXT (a CLOB on H2): read it as a string
        return Set.copyOf(sql.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id, request_id FROM " + sql.tablePrefix() + "usage_dead_letter")
                .map((rs, ctx) -> new UsageKey(rs.getLong(1), rs.getString(2))).list()));
    }

    /**
     * @param costs events by key with their cost in nanos
     * @param userId a user
     * @return the sum of the costs of that user's events
     */
    public static long sumFor(Map<UsageKey, Long> costs, long userId) {
        return costs.entrySet().stream().filter(e -> e.getKey().userId() == userId)
                .mapToLong(Map.Entry::getValue).sum();
    }
}
