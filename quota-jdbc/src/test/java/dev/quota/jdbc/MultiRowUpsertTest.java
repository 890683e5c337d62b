package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ledger's counter upserts on PostgreSQL take their multi-row form (one statement per group of rows instead
 * of one per row); a catalog edit that breaks the shape would silently fall back to the slow path.
 */
class MultiRowUpsertTest {

    private final SqlCatalog postgres = SqlCatalog.load(Dialect.POSTGRESQL, "q_");

    @Test
    void everyUpsertTheLedgerBatchesHasAMultiRowFormOnPostgres() {
        for (String op : new String[] {"balance.credit", "platform_quota.add_usage", "window_counter.add",
                "rollup.add"}) {
            assertThat(MultiRowUpsert.of(postgres.get(op + ".upsert"))).as(op).isNotNull();
        }
    }

    @Test
    void aStatementWhoseConflictClauseReadsARowParameterHasNone() {
        assertThat(MultiRowUpsert.of("INSERT INTO t (k, v) VALUES (:k, :v) ON CONFLICT (k) DO UPDATE SET v = :v"))
                .isNull();
        assertThat(MultiRowUpsert.of("UPDATE t SET v = :v WHERE k = :k")).isNull();
    }

    @Test
    void theMultiRowFormIsOneConstantStatementThatUnnestsOneArrayPerRowParameter() {
        MultiRowUpsert upsert = MultiRowUpsert.of(postgres.get("window_counter.add.upsert"));
        Args row = Args.of().put("name", "apikey:1:5h").put("label", "5h").put("amount", 5).put("expiredBefore", 1)
                .put("newStart", 2);

        String sql = upsert.sql(row);

        assertThat(sql).contains("SELECT u.c0, u.c1, u.c2, u.c3 FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[])"
                + " AS u(c0, c1, c2, c3)").contains("ON CONFLICT (name)").doesNotContainPattern("[^:]:[A-Za-z]")
                .doesNotContain("VALUES");
        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(4 + 2); // 4 arrays, expiredBefore twice
    }
}
