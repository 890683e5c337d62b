package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.window.Window;
import dev.quota.jdbc.report.Granularity;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Without a reachable database every operation reports {@link BackendUnavailableException}, while bad arguments
 * are rejected with {@link IllegalArgumentException} before any connection is even asked for.
 */
class FailureTranslationTest {

    private final AtomicInteger connectionAttempts = new AtomicInteger();
    private final JdbcQuota down = JdbcQuota.builder(Jdbi.create(() -> {
        connectionAttempts.incrementAndGet();
        throw new SQLException("connection refused", "08001");
    })).dialect(Dialect.POSTGRESQL).build();

    @Test
    void databaseFailuresBecomeBackendUnavailable() {
        assertThatThrownBy(() -> down.balances().find(1)).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("balance find").hasMessageContaining("connection refused");
        assertThatThrownBy(() -> down.usageLog().appendAll(Events.many("x", 3)))
                .isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> down.ledger().apply(Events.event("x", 1, Events.T0), Events.T0, ZoneOffset.UTC))
                .isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> down.reports().dashboard()).isInstanceOf(BackendUnavailableException.class);
        assertThatThrownBy(() -> down.installSchema()).isInstanceOf(BackendUnavailableException.class);
        assertThat(connectionAttempts.get()).isEqualTo(5);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnySql() {
        Window w = Window.rolling(Duration.ofHours(1));
        Instant t = Events.T0;
        List<Runnable> misuse = List.of(
                () -> down.balances().credit(1, Money.ofNanos(-1)),
                () -> down.balances().deduct(1, Money.ofNanos(-1)),
                () -> down.subscriptions().addUsage(1, 2, Money.ofNanos(-1), t),
                () -> down.windowCounters().add("", w, 1, t, ZoneOffset.UTC),
                () -> down.windowCounters().add("k", w, -1, t, ZoneOffset.UTC),
                () -> down.platformQuotas().addUsage(1, " ", Money.ofNanos(1), t, ZoneOffset.UTC),
                () -> down.rpmOverrides().set(1, 2, -1),
                () -> down.statistics().find(java.time.LocalDate.of(2025, 1, 1), 0L),
                () -> down.reports().trend(UsageFilter.all(), Granularity.DAY),
                () -> down.reports().topUserTrend(t, t.plusSeconds(1), Granularity.DAY, 0),
                () -> down.reports().listByModel(" ", t, t.plusSeconds(1), PageRequest.of(1, 10)),
                () -> down.reports().batchUserStats(java.util.Arrays.asList(1L, null)));
        for (Runnable r : misuse) {
            assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(connectionAttempts.get()).isZero();
    }

    @Test
    void dialectsAreNamedByTheirJdbcProductNames() {
        assertThat(Dialect.fromProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromProductName("MySQL")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.fromProductName("MariaDB")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.fromProductName("H2")).isEqualTo(Dialect.H2);
        assertThatThrownBy(() -> Dialect.fromProductName("Oracle")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHikariFactoryReportsAnUnreachableServer() {
        assertThatThrownBy(() -> JdbcQuota.hikari("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "u", "p"))
                .isInstanceOf(BackendUnavailableException.class).hasMessageNotContaining("p@");
    }

    @Test
    void theHikariFactoryOpensAndClosesItsOwnPool() {
        try (JdbcQuota quota = JdbcQuota.hikari("jdbc:h2:mem:hikari_factory;DB_CLOSE_DELAY=-1", "sa", "")) {
            assertThat(quota.dialect()).isEqualTo(Dialect.H2);
            assertThat(quota.installSchema()).containsExactlyElementsOf(SchemaInstaller.versions());
            assertThat(quota.balances().credit(1, Money.ofNanos(5))).isEqualTo(Money.ofNanos(5));
        }
    }
}
