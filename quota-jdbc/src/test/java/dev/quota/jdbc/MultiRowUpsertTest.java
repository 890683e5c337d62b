package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ledger's counter upserts on PostgreSQL and MySQL / MariaDB take their multi-row form (one statement per group
 * of rows instead of one per row); a catalog edit that breaks the shape would silently fall back to the slow path.
 * The statements themselves run on the real databases in the ledger suites.
 */
class MultiRowUpsertTest {

    private static final String[] LEDGER_UPSERTS = {"balance.credit", "platform_quota.add_usage",
        "window_counter.add", "api_key_usage.add", "api_key_model_usage.add", "rollup.add"};

    private final SqlCatalog postgres = SqlCatalog.load(Dialect.POSTGRESQL, "q_");
    private final SqlCatalog mysql = SqlCatalog.load(Dialect.MYSQL, "q_");

    @Test
    void everyUpsertTheLedgerBatchesHasAMultiRowFormOnPostgresAndMysql() {
        for (String op : LEDGER_UPSERTS) {
            assertThat(MultiRowUpsert.of(postgres.get(op + ".upsert"), Dialect.POSTGRESQL)).as(op).isNotNull();
            assertThat(MultiRowUpsert.of(mysql.get(op + ".upsert"), Dialect.MYSQL)).as(op).isNotNull();
        }
    }

    @Test
    void h2HasNoMultiRowForm() {
        assertThat(MultiRowUpsert.of(postgres.get("balance.credit.upsert"), Dialect.H2)).isNull();
    }

    @Test
    void aStatementWhoseConflictClauseReadsARowParameterHasNone() {
        assertThat(MultiRowUpsert.of("INSERT INTO t (k, v) VALUES (:k, :v) ON CONFLICT (k) DO UPDATE SET v = :v",
                Dialect.POSTGRESQL)).isNull();
        assertThat(MultiRowUpsert.of("INSERT INTO t (k, v) VALUES (:k, :v) ON DUPLICATE KEY UPDATE v = :v",
                Dialect.MYSQL)).isNull();
        assertThat(MultiRowUpsert.of("UPDATE t SET v = :v WHERE k = :k", Dialect.POSTGRESQL)).isNull();
        assertThat(MultiRowUpsert.of("UPDATE t SET v = :v WHERE k = :k", Dialect.MYSQL)).isNull();
    }

    @Test
    void onMysqlTheMultiRowFormIsAValuesListWithTheUpdateClauseOnce() {
        MultiRowUpsert upsert = MultiRowUpsert.of(mysql.get("window_counter.add.upsert"), Dialect.MYSQL);

        String sql = upsert.valuesSql(3);

        String row = "(?, ?, ?, ?)";
        assertThat(sql).contains("VALUES " + row + ", " + row + ", " + row + "\nON DUPLICATE KEY UPDATE")
                .doesNotContainPattern("[^:]:[A-Za-z]").doesNotContain("unnest");
        assertThat(sql.split("ON DUPLICATE KEY UPDATE", -1)).hasSize(2);
        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(3 * 4 + 2); // expiredBefore twice
    }

    @Test
    void onMysqlAStatementCarriesAtMostMaxValuesRows() {
        MultiRowUpsert upsert = MultiRowUpsert.of(mysql.get("api_key_usage.add.upsert"), Dialect.MYSQL);

        assertThat(upsert.valuesRowsPerStatement()).isEqualTo(MultiRowUpsert.MAX_VALUES_ROWS);
    }

    @Test
    void theMultiRowFormIsOneConstantStatementThatUnnestsOneArrayPerRowParameter() {
        MultiRowUpsert upsert = MultiRowUpsert.of(postgres.get("window_counter.add.upsert"), Dialect.POSTGRESQL);
        Args row = Args.of().put("name", "apikey:1:5h").put("label", "5h").put("amount", 5).put("expiredBefore", 1)
                .put("newStart", 2);

        String sql = upsert.sql(row);

        assertThat(sql).contains("SELECT u.c0, u.c1, u.c2, u.c3 FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[])"
                + " AS u(c0, c1, c2, c3)").contains("ON CONFLICT (name)").doesNotContainPattern("[^:]:[A-Za-z]")
                .doesNotContain("VALUES");
        assertThat(sql.chars().filter(c -> c == '?').count()).isEqualTo(4 + 2); // 4 arrays, expiredBefore twice
    }
}
