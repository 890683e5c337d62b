package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Schema installation: versioned scripts, the version table, idempotency, prefixes, dialect detection. */
abstract class SchemaSuite {

    abstract TestDatabase db();

    /** Every version this library ships, ascending. */
    private List<Integer> all() {
        return versionsFrom(1);
    }

    private List<Integer> versionsFrom(int first) {
        int latest = SchemaInstaller.create(db().jdbi, db().dialect, "sx_", Clock.systemUTC()).latestVersion();
        return java.util.stream.IntStream.rangeClosed(first, latest).boxed().toList();
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

        quota.balances().set(1, dev.quota.core.money.Money.ofNanos(5));

        assertThat(db().count("balance")).isEqualTo(1);
        assertThat(db().count("schema_version")).isEqualTo(all().size());
    }

    @Test
    void versionTwoUpgradesAVersionOneDatabaseInPlace() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "si5_", Clock.systemUTC());
        assertThat(installer.installUpTo(1)).containsExactly(1);
        db().execute("INSERT INTO si5_usage_log (request_id, user_id, billing_mode, input_tokens, output_tokens,"
                + " cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost, output_cost,"
                + " cache_creation_cost, cache_read_cost, http_status, is_error, response_time_ms, attempts,"
                + " occurred_at) VALUES ('r-1', 1, 'BALANCE', 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 200, 0, 0, 1, 0)");

        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(2));

        JdbcQuota quota = JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix("si5_").build();
        dev.quota.core.usage.UsageEvent other = dev.quota.core.usage.UsageEvent.builder("r-1", 2)
                .occurredAt(Instant.EPOCH).build();
        dev.quota.core.usage.UsageEvent replay = dev.quota.core.usage.UsageEvent.builder("r-1", 1)
                .occurredAt(Instant.EPOCH).build();
        assertThat(quota.usageLog().append(replay)).isFalse();
        assertThat(quota.usageLog().append(other)).isTrue();
        assertThat(quota.usageLog().find(new dev.quota.core.usage.UsageKey(1, "r-1")).orElseThrow().actualCost())
                .isEqualTo(dev.quota.core.money.Money.ofNanos(5));
        assertThat(db().count("si5_usage_log")).isEqualTo(2);
        assertThat(db().count("si5_usage_dead_letter")).isZero();
        assertThat(installer.installedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void versionThreeAddsIdempotentBalanceOperationsToAVersionTwoDatabase() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "si6_", Clock.systemUTC());
        assertThat(installer.installUpTo(2)).containsExactly(1, 2);
        db().execute("INSERT INTO si6_balance (user_id, balance) VALUES (7, 5000000000)");

        assertThat(installer.install()).containsExactlyElementsOf(versionsFrom(3));

        JdbcQuota quota = JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix("si6_").build();
        dev.quota.core.money.Money one = dev.quota.core.money.Money.ofNanos(1_000_000_000L);
        assertThat(quota.balances().adjust(7, one, "pay-1").balance()).isEqualTo(dev.quota.core.money.Money.ofNanos(6_000_000_000L));
        assertThat(quota.balances().adjust(7, one, "pay-1").applied()).isFalse();
        assertThat(db().count("si6_balance_operation")).isEqualTo(1);
    }
}
