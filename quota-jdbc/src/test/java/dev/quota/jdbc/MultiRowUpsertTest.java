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
}
