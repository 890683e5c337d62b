package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.QuotaTime;
import dev.quota.core.CheckRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The SQL adapter takes the deployment's one clock and zone and hands them on to its usage writer. */
class JdbcQuotaTimeTest {

    private static final QuotaTime SHANGHAI = new QuotaTime(
            Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC), ZoneId.of("Asia/Shanghai"));

    @Test
    void theBuildersTimeIsTheAdaptersAndItsWritersTime() {
        JdbcQuota sql = JdbcQuota.builder(Jdbi.create("jdbc:h2:mem:qtime1;DB_CLOSE_DELAY=-1")).dialect(Dialect.H2)
                .time(SHANGHAI).build();
        assertThat(sql.time()).isEqualTo(SHANGHAI);
        assertThat(sql.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        try (BatchingUsageWriter writer = sql.usageWriter().build()) {
            assertThat(writer.time()).contains(SHANGHAI);
        }
    }

    @Test
    void aHikariAdapterTakesTheTimeToo() {
        try (JdbcQuota sql = JdbcQuota.hikari("jdbc:h2:mem:qtime2;DB_CLOSE_DELAY=-1", "sa", "", SHANGHAI)) {
            assertThat(sql.time()).isEqualTo(SHANGHAI);
        }
        try (JdbcQuota utc = JdbcQuota.hikari("jdbc:h2:mem:qtime3;DB_CLOSE_DELAY=-1", "sa", "")) {
            assertThat(utc.time().zone()).isEqualTo(ZoneOffset.UTC);
        }
    }

    @Test
    void aGateInUtcAcceptsTheDefaultWriterWhoseZoneIsZ() {
        JdbcQuota sql = JdbcQuota.builder(Jdbi.create("jdbc:h2:mem:qtime4;DB_CLOSE_DELAY=-1")).dialect(Dialect.H2)
                .build();
        sql.installSchema();
        try (BatchingUsageWriter writer = sql.usageWriter().build();
             BillingGate gate = BillingGate.builder().balances(sql.balances()).subscriptions(sql.subscriptions())
                     .usageSink(writer).zone(ZoneId.of("UTC")).build()) {
            assertThat(gate.check(CheckRequest.builder(1).build()).denied()).isTrue(); // no balance: denied, not thrown
        }
    }
}
