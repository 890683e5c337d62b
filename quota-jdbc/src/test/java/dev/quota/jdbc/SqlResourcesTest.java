package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged SQL: every dialect has every statement and the same tables and indexes. */
class SqlResourcesTest {

    private static final Set<String> UPSERTS = Set.of("balance.set", "balance.credit", "subscription.save",
            "window_counter.add", "platform_quota.set_limits", "platform_quota.add_usage", "rpm_override.set",
            "rollup.add", "stats.put");

    @Test
    void everyDialectHasEveryUpsertEitherNativeOrAsUpdateThenInsert() {
        for (Dialect d : Dialect.values()) {
            SqlCatalog sql = SqlCatalog.load(d, "p_");
            for (String op : UPSERTS) {
                boolean nativeForm = sql.has(op + ".upsert");
                boolean emulated = sql.has(op + ".update") && sql.has(op + ".insert");
                assertThat(nativeForm || emulated).as(d + " " + op).isTrue();
            }
            assertThat(sql.get("usage.list")).contains("p_usage_log").doesNotContain("${prefix}");
            for (String shared : List.of("stats.put", "api_key_usage.add", "api_key_model_usage.add")) {
                String statement = sql.has(shared + ".upsert") ? sql.get(shared + ".upsert") : sql.get(shared + ".update");
                assertThat(statement).as(d + " " + shared).doesNotContain("${").contains("p_")
                        .containsPattern("start_(7d|day)|distinct_platforms");
            }
        }
        assertThat(SqlCatalog.load(Dialect.POSTGRESQL, "").has("window_counter.add.upsert")).isTrue();
        assertThat(SqlCatalog.load(Dialect.MYSQL, "").has("window_counter.add.upsert")).isTrue();
        assertThat(SqlCatalog.load(Dialect.H2, "").has("window_counter.add.upsert")).isFalse();
    }

    @Test
    void aFragmentStandsInEveryStatementThatNamesItAndAMissingOneFailsTheLoad() {
        String text = "-- name: part.cols\n    a, b\n-- name: one\nSELECT ${part.cols} FROM ${prefix}t\n"
                + "-- name: two\nINSERT INTO ${prefix}t (${part.cols}) VALUES (1, 2)\n";
        var parsed = SqlCatalog.parse(text);

        assertThat(SqlCatalog.resolve(parsed, "p_")).containsEntry("one", "SELECT a, b FROM p_t")
                .containsEntry("two", "INSERT INTO p_t (a, b) VALUES (1, 2)");
        assertThatThrownBy(() -> SqlCatalog.resolve(SqlCatalog.parse("-- name: x\nSELECT ${part.gone}\n"), ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("part.gone");
    }

    @Test
    void everyDialectsSchemaCreatesTheSameTablesAndIndexes() {
        Set<String> expectedTables = null;
        Set<String> expectedIndexes = null;
        for (Dialect d : Dialect.values()) {
            StringBuilder all = new StringBuilder();
            for (int v : SchemaInstaller.versions()) {
                all.append(SqlCatalog.read(SchemaInstaller.scriptPath(d, v))).append('\n');
            }
            String script = all.toString();
            Set<String> tables = names(script, "CREATE TABLE IF NOT EXISTS \\$\\{prefix}(\\w+)");
            Set<String> indexes = names(script, "(?:INDEX IF NOT EXISTS|KEY) \\$\\{prefix}(\\w+)");
            indexes.addAll(names(script, "ADD CONSTRAINT (?:IF NOT EXISTS )?\\$\\{prefix}(\\w+)"));
            indexes.addAll(names(script, "\\s+CONSTRAINT \\$\\{prefix}(\\w+)"));
            assertThat(tables).as(d.name()).containsAll(TestDatabase.TABLES).hasSize(TestDatabase.TABLES.size());
            if (expectedTables == null) {
                expectedTables = tables;
                expectedIndexes = indexes;
            }
            assertThat(tables).as(d.name()).isEqualTo(expectedTables);
            assertThat(indexes).as(d.name()).isEqualTo(expectedIndexes);
            assertThat(String.join(";", SchemaInstaller.statements(script))).as(d.name())
                    .doesNotContainIgnoringCase("now()").doesNotContainIgnoringCase("current_timestamp");
        }
        assertThat(expectedIndexes).contains("usage_log_request_uq", "usage_log_user_request_uq",
                "usage_dead_letter_time_ix", "usage_log_user_ix", "usage_log_key_ix",
                "usage_log_account_ix", "usage_log_model_ix", "usage_log_time_ix");
    }

    @Test
    void scriptsSplitIntoStatementsWithoutComments() {
        var statements = SchemaInstaller.statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n"
                + "CREATE INDEX i ON a (x);\n-- trailing\n");

        assertThat(statements).containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
    }

    @Test
    void driverMessagesAreShortenedToTheirFirstLine() {
        assertThat(Db.brief("Table \"X\" not found; SQL statement:\nSELECT 1 [42102-252]")).isEqualTo("Table \"X\" not found");
        assertThat(Db.brief("y".repeat(1000))).hasSize(303);
        assertThat(Db.brief(null)).isEmpty();
    }

    private static Set<String> names(String script, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(script);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
