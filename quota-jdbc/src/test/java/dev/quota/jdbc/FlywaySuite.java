package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The shipped schema scripts migrated by Flyway itself, configured as {@link SchemaInstaller}'s javadoc says, and
 * one history shared with {@link SchemaInstaller#install()}. Loads whatever versions {@code db/quota/<dialect>}
 * holds.
 */
abstract class FlywaySuite extends DbSuite {

    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.+\\.sql");


    private Flyway flyway(SchemaInstaller installer) {
        return Flyway.configure().dataSource(db().pool)
                .locations(installer.flywayLocation())
                .table(installer.flywayTable())
                .placeholders(installer.flywayPlaceholders())
                .baselineOnMigrate(true).baselineVersion(installer.flywayBaselineVersion())
                .load();
    }

    /** The versions the classpath holds for the dialect, ascending. */
    private List<Integer> shippedVersions() {
        URL dir = FlywaySuite.class.getClassLoader().getResource("db/quota/" + db().dialect.resourceName());
        assertThat(dir).as("scripts on the class path").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.map(f -> VERSION.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flywayMigratesEveryShippedVersionAndInstallSchemaThenAppliesNothing() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "fw1_", java.time.Clock.systemUTC());
        List<Integer> shipped = shippedVersions();
        assertThat(shipped).startsWith(1, 2);

        MigrateResult result = flyway(installer).migrate();

        assertThat(result.migrationsExecuted).isEqualTo(shipped.size());
        for (String table : TestDatabase.TABLES) {
            assertThat(db().count("fw1_" + table)).as(table).isZero();
        }
        assertThat(installer.install()).as("installSchema() sees Flyway's history").isEmpty();
        assertThat(installer.installedVersions()).containsExactlyElementsOf(shipped);

        JdbcQuota sql = JdbcQuota.builder(db().jdbi).dialect(db().dialect).tablePrefix("fw1_").build();
        sql.ping();
        sql.balances().set(1, Money.parse("2.5"));
        assertThat(sql.balances().find(1)).contains(Money.parse("2.5"));
    }

    @Test
    void afterInstallSchemaFlywayBaselinesAtItsVersionAndAppliesNothing() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "fw2_", java.time.Clock.systemUTC());
        installer.install();
        assertThat(installer.flywayBaselineVersion()).isEqualTo(String.valueOf(installer.latestVersion()));

        Flyway flyway = flyway(installer);
        MigrateResult result = flyway.migrate();

        assertThat(result.migrationsExecuted).isZero();
        assertThat(flyway.info().current().getVersion().getVersion())
                .isEqualTo(String.valueOf(installer.latestVersion()));
        assertThat(installer.install()).isEmpty();
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() {
        SchemaInstaller installer = SchemaInstaller.create(db().jdbi, db().dialect, "fw3_", java.time.Clock.systemUTC());
        flyway(installer).migrate();
        assertThat(flyway(installer).migrate().migrationsExecuted).isZero();
    }
}
