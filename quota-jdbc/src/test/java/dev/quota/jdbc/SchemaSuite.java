package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.window.WindowUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Schema installation: versioned scripts, the version table, idempotency, prefixes, dialect detection. */
abstract class SchemaSuite extends DbSuite {


    /** Every version this library ships, ascending. */
    private List<Integer> all() {
        return versionsFrom(1);
    }

    private List<Integer> versionsFrom(int first) {
        return SchemaInstaller.versions().stream().filter(v -> v >= first).toList();
    }

    @Test
    void installCreatesEveryTableAndRecordsEveryVersion() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "si1_",
                Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));

        assertThat(installer.install()).containsExactlyElementsOf(all());

        for (String table : TestDatabase.TABLES) {
            assertThat(db().count("si1_" + table)).as(table).isZero();
        }
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
        assertThat(installer.versionTable()).isEqualTo("si1_schema_version");
        long installedAt = db().jdbi.withHandle(h -> h.createQuery(
                "SELECT installed_at FROM si1_schema_version WHERE version = 1").mapTo(Long.class).one());
        assertThat(installedAt).isEqualTo(Instant.parse("2025-01-02T03:04:05Z").toEpochMilli());
    }

    @Test
    void installingTwiceAppliesNothingTheSecondTime() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "si2_", Clock.systemUTC());
        installer.install();
        db().execute("INSERT INTO si2_balance (user_id, balance) VALUES (1, 5)");

        assertThat(installer.install()).isEmpty();

        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
        assertThat(db().count("si2_balance")).isEqualTo(1);
    }

    @Test
    void concurrentInstallersApplyEachVersionOnce() throws Exception {
        int n = 4;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return SchemaInstaller.create(db().jdbi, db().dialect, "si3_", Clock.systemUTC()).install();
                }));
            }
            List<Integer> applied = new ArrayList<>();
            for (Future<List<Integer>> f : results) {
                applied.addAll(f.get());
            }
            assertThat(applied).containsExactlyElementsOf(all());
        } finally {
            pool.shutdownNow();
        }
        assertThat(db().count("si3_schema_version")).isEqualTo(all().size());
    }

    @Test
    void defaultPrefixGivesTheQuotaSchemaVersionTable() {
        JdbcQuota quota = JdbcQuota.create(db().jdbi, db().dialect);

        assertThat(quota.installSchema()).containsExactlyElementsOf(all());

        assertThat(quota.tablePrefix()).isEqualTo("quota_");
        assertThat(db().count("quota_schema_version")).isEqualTo(all().size());
        assertThat(db().count("quota_usage_log")).isZero();
    }

    @Test
    void dialectIsDetectedFromTheConnection() {
        assertThat(Dialect.detect(db().jdbi)).isEqualTo(db().dialect);
        assertThat(Dialect.detect(db().pool)).isEqualTo(db().dialect);
        assertThat(JdbcQuota.builder(db().pool).tablePrefix("si4_").build().dialect()).isEqualTo(db().dialect);
    }

    @Test
    void invalidPrefixesAreRejectedBeforeAnySql() {
        for (String bad : new String[] {"Quota_", "1abc", "a-b", "a b", "x;drop", "abcdefghijklmnopqrstuvwxyz012345"}) {
            assertThatThrownBy(() -> JdbcQuota.builder(db().jdbi).tablePrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SchemaInstaller.create(db().jdbi, db().dialect, null, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyPrefixWorks() {
        JdbcQuota quota = JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix("").build();
        quota.installSchema();

        quota.balances().set(1, Money.ofNanos(5));

        assertThat(db().count("balance")).isEqualTo(1);
        assertThat(db().count("schema_version")).isEqualTo(all().size());
    }

    @Test
    void versionTwoUpgradesAVersionOneDatabaseInPlace() {
        SchemaInstaller installer = installedUpTo("si5_", 1);
        db().execute("INSERT INTO si5_usage_log (request_id, user_id, billing_mode, input_tokens, output_tokens,"
                + " cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost, output_cost,"
                + " cache_creation_cost, cache_read_cost, http_status, is_error, response_time_ms, attempts,"
                + " occurred_at) VALUES ('r-1', 1, 'BALANCE', 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 200, 0, 0, 1, 0)");

        JdbcQuota quota = upgraded(installer, "si5_", 2);
        UsageEvent other = UsageEvent.builder("r-1", 2)
                .occurredAt(Instant.EPOCH).build();
        UsageEvent replay = UsageEvent.builder("r-1", 1)
                .occurredAt(Instant.EPOCH).build();
        assertThat(quota.usageLog().append(replay)).isFalse();
        assertThat(quota.usageLog().append(other)).isTrue();
        assertThat(quota.usageLog().find(new dev.quota.core.usage.UsageKey(1, "r-1")).orElseThrow().costs()
                .actual())
                .isEqualTo(Money.ofNanos(5));
        assertThat(db().count("si5_usage_log")).isEqualTo(2);
        assertThat(db().count("si5_usage_dead_letter")).isZero();
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void versionThreeAddsIdempotentBalanceOperationsToAVersionTwoDatabase() {
        SchemaInstaller installer = installedUpTo("si6_", 2);
        db().execute("INSERT INTO si6_balance (user_id, balance) VALUES (7, 5000000000)");

        JdbcQuota quota = upgraded(installer, "si6_", 3);
        Money one = Money.ofNanos(1_000_000_000L);
        assertThat(quota.balances().adjust(7, one, "pay-1").balance()).isEqualTo(Money.ofNanos(6_000_000_000L));
        assertThat(quota.balances().adjust(7, one, "pay-1").applied()).isFalse();
        assertThat(db().count("si6_balance_operation")).isEqualTo(1);
    }

    @Test
    void versionFiveDropsTheUnusedLedgerIndexesOfAnOlderDatabaseAndItsRowsStayReadable() throws Exception {
        SchemaInstaller installer = installedUpTo("si7_", 4);
        JdbcQuota quota = quotaOn("si7_");
        Instant at = Instant.parse("2025-03-12T06:30:00Z");
        UsageEvent before = claude("r-1", 5, at, b -> b.groupId(7L));
        storedOnAnOldSchema(quota, before, at);
        assertThat(ledgerIndexes("si7_")).contains("si7_usage_log_model_ix");

        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(5));

        assertThat(ledgerIndexes("si7_")).contains("si7_usage_log_user_ix", "si7_usage_log_key_ix",
                "si7_usage_log_account_ix", "si7_usage_log_time_ix")
                .doesNotContain("si7_usage_log_group_ix", "si7_usage_log_model_ix", "si7_usage_log_platform_ix");
        UsageEvent after = claude("r-2", 6, at, b -> b.groupId(7L));
        assertThat(quota.ledger().store(List.of(before, after), at, ZoneOffset.UTC).stored()).containsExactly(after);
        var byModel = dev.quota.core.usage.UsageFilter.all().withGroup(7L).withModel("claude")
                .withPlatform("anthropic");
        assertThat(quota.usageLog().totals(byModel).requests()).isEqualTo(2);
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-11));
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void versionSixDropsTheLedgersRowIdOnPostgresqlAndH2AndKeepsEveryRowAndCounter() throws Exception {
        SchemaInstaller installer = installedUpTo("si9_", 5);
        JdbcQuota quota = quotaOn("si9_");
        Instant at = Instant.parse("2025-03-12T06:30:00Z");
        UsageEvent before = claude("r-1", 5, at, b -> b.apiKeyId(3L));
        storedOnAnOldSchema(quota, before, at);
        assertThat(ledgerColumns("si9_")).contains("id", "request_id");

        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(6));

        if (db().dialect == Dialect.MYSQL) {
            assertThat(ledgerColumns("si9_")).contains("id"); // InnoDB's clustered key stays (see the script)
        } else {
            assertThat(ledgerColumns("si9_")).doesNotContain("id").contains("request_id", "occurred_at");
        }
        assertThat(ledgerIndexes("si9_")).contains("si9_usage_log_user_ix", "si9_usage_log_key_ix",
                "si9_usage_log_account_ix", "si9_usage_log_time_ix");
        UsageEvent after = claude("r-2", 6, at, b -> b.apiKeyId(3L));
        assertThat(quota.ledger().store(List.of(before, after), at, ZoneOffset.UTC).stored()).containsExactly(after);
        assertThat(quota.usageLog().find(new dev.quota.core.usage.UsageKey(1, "r-1")).orElseThrow().costs()
                .actual())
                .isEqualTo(Money.ofNanos(5));
        assertThat(quota.usageLog().totals(dev.quota.core.usage.UsageFilter.all().withApiKey(3L)).requests())
                .isEqualTo(2);
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-11));
        assertThat(quota.windowCounters().findKeyUsage(1, 3).orElseThrow().oneDay().used()).isEqualTo(11);
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void versionSevenMovesTheApiKeyCountersIntoOneRowPerKeyAndPerKeyAndModelKeepingValuesAndStarts() {
        SchemaInstaller installer = installedUpTo("si10_", 6);
        JdbcQuota quota = quotaOn("si10_");
        Instant day = Instant.parse("2025-03-12T06:30:00Z");
        Instant hour = day.plus(java.time.Duration.ofHours(2));
        String odd = "vendor:model ü 1d";
        dev.quota.core.spi.WindowCounterStore counters = quota.windowCounters();
        // the layout of versions 1 to 6: named counters, written as the ledger of those versions named them
        oldCounter(counters, "apikey:3:1d", KeyWindow.ONE_DAY.window(), 200, day);
        oldCounter(counters, "apikey:3:7d", KeyWindow.SEVEN_DAYS.window(), 300, day);
        oldCounter(counters, "apikey:3:5h", KeyWindow.FIVE_HOURS.window(), 100, hour);
        oldCounter(counters, "apikey:3:tpm", QuotaWindows.TPM, 40, hour);
        oldCounter(counters, "apikey:-7:7d", KeyWindow.SEVEN_DAYS.window(), 5, day);
        oldCounter(counters, "apikey:3:model:" + odd + ":1d", KeyWindow.ONE_DAY.window(), 12, day);
        oldCounter(counters, "apikey:3:model:" + odd + ":7d", KeyWindow.SEVEN_DAYS.window(), 13, day);
        oldCounter(counters, "apikey:3:model:" + odd + ":5h", KeyWindow.FIVE_HOURS.window(), 11, hour);
        oldCounter(counters, "apikey:3:model:claude:1d", KeyWindow.ONE_DAY.window(), 9, day);
        for (String generic : List.of("apikey:3:30d", "apikey:x:5h", "team:3:5h", "apikey:3:model:claude:2d")) {
            oldCounter(counters, generic, KeyWindow.ONE_DAY.window(), 1, day);
        }

        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(7));

        WindowUsage none = WindowUsage.EMPTY;
        assertThat(counters.findKeyUsage(1, 3)).contains(new KeyUsage(1, 3, new WindowUsage(100, hour),
                new WindowUsage(200, day), new WindowUsage(300, day), new WindowUsage(40, QuotaWindows.TPM.bucketStart(hour))));
        assertThat(counters.findKeyUsage(1, -7)).contains(new KeyUsage(1, -7, none, none, new WindowUsage(5, day), none));
        assertThat(counters.findKeyModelUsage(1, 3, odd)).contains(new KeyModelUsage(1, 3, odd,
                new WindowUsage(11, hour), new WindowUsage(12, day), new WindowUsage(13, day)));
        assertThat(counters.findKeyModelUsage(1, 3, "claude"))
                .contains(new KeyModelUsage(1, 3, "claude", none, new WindowUsage(9, day), none));
        assertThat(counters.findKeyUsage(1, 4)).isEmpty();
        assertThat(counters.find("apikey:3:5h")).as("moved out of window_counter").isEmpty();
        assertThat(counters.find("apikey:3:model:" + odd + ":7d")).isEmpty();
        assertThat(db().count("si10_window_counter")).as("only the generic counters stay").isEqualTo(4);
        assertThat(db().count("si10_api_key_usage")).isEqualTo(2);
        assertThat(db().count("si10_api_key_model_usage")).isEqualTo(2);

        Instant later = hour.plusSeconds(30);
        quota.ledger().store(List.of(claude("r-1", 5, later, b -> b.apiKeyId(3L))), later, ZoneOffset.UTC);
        assertThat(counters.findKeyUsage(1, 3)).as("the stored windows go on counting").contains(new KeyUsage(1, 3,
                new WindowUsage(105, hour), new WindowUsage(205, day), new WindowUsage(305, day),
                new WindowUsage(40, QuotaWindows.TPM.bucketStart(hour))));
        assertThat(counters.findKeyModelUsage(1, 3, "claude")).contains(new KeyModelUsage(1, 3, "claude",
                new WindowUsage(5, later), new WindowUsage(14, day), new WindowUsage(5, later)));
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    /** A named counter as versions 1 to 6 kept the API key windows: its value and its window started at {@code at}. */
    private static void oldCounter(dev.quota.core.spi.WindowCounterStore counters, String name,
                                   dev.quota.core.window.Window window, long used, Instant at) {
        counters.add(name, window, used, at, ZoneOffset.UTC);
    }

    /**
     * What the ledger of an older schema stored for {@code e} that the upgrade tests read back: the log row, the
     * balance debit and (with an API key) the key's named 1 d counter of that layout. Today's ledger writes the
     * tables of the latest version, so it cannot run on an older schema.
     */
    private static void storedOnAnOldSchema(JdbcQuota quota, UsageEvent e, Instant at) {
        assertThat(quota.usageLog().append(e)).isTrue();
        long nanos = e.costs().actual().nanos();
        quota.balances().set(e.userId(), quota.balances().find(e.userId()).orElse(Money.ZERO)
                .minus(Money.ofNanos(nanos)));
        if (e.apiKeyId() != null) {
            oldCounter(quota.windowCounters(), "apikey:" + e.apiKeyId() + ":1d", KeyWindow.ONE_DAY.window(), nanos, at);
        }
    }

    /** The lower-case column names of {@code <prefix>usage_log}, from the driver's metadata. */
    private List<String> ledgerColumns(String prefix) throws java.sql.SQLException {
        return db().jdbi.withHandle(h -> {
            java.sql.DatabaseMetaData meta = h.getConnection().getMetaData();
            String table = db().dialect == Dialect.H2 ? (prefix + "usage_log").toUpperCase(java.util.Locale.ROOT)
                    : prefix + "usage_log";
            List<String> names = new ArrayList<>();
            try (java.sql.ResultSet rs = meta.getColumns(h.getConnection().getCatalog(),
                    db().dialect == Dialect.POSTGRESQL ? h.getConnection().getSchema() : null, table, null)) {
                while (rs.next()) {
                    names.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
            return names;
        });
    }

    /** The lower-case names of the indexes of {@code <prefix>usage_log}, from the driver's metadata. */
    private List<String> ledgerIndexes(String prefix) throws java.sql.SQLException {
        return db().jdbi.withHandle(h -> {
            java.sql.DatabaseMetaData meta = h.getConnection().getMetaData();
            String table = db().dialect == Dialect.H2 ? (prefix + "usage_log").toUpperCase(java.util.Locale.ROOT)
                    : prefix + "usage_log";
            List<String> names = new ArrayList<>();
            try (java.sql.ResultSet rs = meta.getIndexInfo(h.getConnection().getCatalog(),
                    db().dialect == Dialect.POSTGRESQL ? h.getConnection().getSchema() : null, table, false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        names.add(rs.getString("INDEX_NAME").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            return names;
        });
    }

    @Test
    void versionFourKeepsTheDailyStatisticsOfVersionThreeWithZeroNewFigures() {
        SchemaInstaller installer = installedUpTo("si8_", 3);
        db().execute("INSERT INTO si8_stats_daily (stat_day, user_id, requests, success_requests, error_requests,"
                + " input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_cost, actual_cost,"
                + " input_cost, output_cost, cache_creation_cost, cache_read_cost, response_time_ms_sum)"
                + " VALUES (20250310, 0, 3, 2, 1, 10, 20, 0, 0, 7, 6, 0, 0, 0, 0, 300)");

        JdbcQuota quota = upgraded(installer, "si8_", 4);
        dev.quota.core.usage.DailyStats day = quota.statistics()
                .find(java.time.LocalDate.of(2025, 3, 10), null).orElseThrow();
        assertThat(day.totals().requests()).isEqualTo(3);
        assertThat(day.totals().actualCost()).isEqualTo(Money.ofNanos(6));
        assertThat(day.retriedRequests()).isZero();
        assertThat(day.distinctModels()).isZero();
        assertThat(day.distinctPlatforms()).isZero();
        assertThat(quota.statistics().findSummary()).isEmpty();
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    /** Installs the versions from {@code from} on, checks that exactly those were installed, and opens the tables. */
    private JdbcQuota upgraded(SchemaInstaller installer, String prefix, int from) {
        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(from));
        return quotaOn(prefix);
    }

    /** The adapter over tables {@code prefix}*. */
    private JdbcQuota quotaOn(String prefix) {
        return JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix(prefix).build();
    }

    /** An installer of tables {@code prefix}* that installed every version up to {@code version}. */
    private SchemaInstaller installedUpTo(String prefix, int version) {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, prefix, Clock.systemUTC());
        assertThat(installer.installUpTo(version))
                .containsExactlyElementsOf(all().stream().filter(v -> v <= version).toList());
        return installer;
    }

    /** A balance-mode event of user 1 on anthropic / claude costing {@code nanos}, with the ids {@code ids} sets. */
    private static UsageEvent claude(String requestId, long nanos, Instant at, UnaryOperator<UsageEvent.Builder> ids) {
        return ids.apply(UsageEvent.builder(requestId, 1)).platform("anthropic").model("claude")
                .totalCost(Money.ofNanos(nanos)).occurredAt(at).build();
    }
}
