package dev.quota.faults;

import static dev.quota.faults.support.Scenario.assertCacheAgreesWithSql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.usage.UsageKey;
import dev.quota.faults.support.Books;
import dev.quota.faults.support.ChildGatewayProcess;
import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.Load;
import dev.quota.faults.support.PostgresCluster;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (d) a child gateway JVM killed with SIGKILL while it records under load, its usage writer holding up to a
 * second of acknowledged events that SQL never got: another gate instance's recovery drainer stores them from
 * the outbox. Acknowledged ⊆ stored ⊆ attempted, no duplicates, balance = start − the stored costs, to the
 * nano-unit, and the cache agrees with SQL after healing.
 */
class GatewayKilledFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKilledFaultTest.class);
    private static final long[] USERS = {1, 2, 3, 4};
    private static final int THREADS = 4;
    private static final int PER_THREAD = 1_000_000;
    private static final Pattern ID = Pattern.compile("d-(\\d+)-(\\d+)");

    @Test
    void gatewayKilledWithSigkillUnderLoadLosesNoAcknowledgedRecord() {
        String prefix = Scenario.uniqueId() + "_";
        try (PostgresCluster pg = PostgresCluster.start();
             RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE)) {
            try (Gateway setup = Gateway.settings(redis.port(), pg.jdbcUrl()).tablePrefix(prefix).start()) {
                setup.installSchema();
                Scenario.fund(setup, USERS);
            }
            Map<UsageKey, Long> acked;
            try (ChildGatewayProcess child = ChildGatewayProcess.start(redis.port(), pg.jdbcUrl(), prefix, "faults",
                    "d", "1,2,3,4", THREADS, PER_THREAD, 500)) {
                child.awaitAcked(3_000, 120_000);
                child.kill();
                acked = child.acked();
            }
            Set<UsageKey> unstoredAtKill = new HashSet<>(acked.keySet());
            try (Gateway reader = Gateway.settings(redis.port(), pg.jdbcUrl()).tablePrefix(prefix)
                    .recoveryDrainer(false).start()) {
                unstoredAtKill.removeAll(new Books(reader.sql()).ledger().keySet());
            }
            // the window this scenario is about: acknowledged records that SQL did not have when the JVM died
            assertThat(unstoredAtKill).as("acknowledged records SQL lacked at the kill").isNotEmpty();

            try (Gateway survivor = Gateway.settings(redis.port(), pg.jdbcUrl()).tablePrefix(prefix)
                    .start()) {
                Books books = new Books(survivor.sql());
                survivor.awaitOutboxDrained(60_000);
                Scenario.heal(survivor, USERS);
                Map<UsageKey, Long> stored = books.ledger(); // throws on a key stored twice
                LOG.info("child acknowledged {}, {} of them not in SQL at the kill; SQL holds {} after the drainer ran",
                        acked.size(), unstoredAtKill.size(), stored.size());

                assertThat(stored.keySet()).as("acknowledged records missing from SQL").containsAll(acked.keySet());
                stored.forEach((key, cost) -> assertThat(cost).as("stored %s was attempted with this cost", key)
                        .isEqualTo(attemptedCost(key)));
                for (long u : USERS) {
                    assertThat(books.balance(u)).as("balance of user %d", u)
                            .isEqualTo(Scenario.START.minus(Money.ofNanos(Books.sumFor(stored, u))));
                }
                assertCacheAgreesWithSql(survivor, USERS);
            }
        }
    }

    /** The cost the child's load gives the request of that id, so that stored ⊆ attempted is exact. */
    private static long attemptedCost(UsageKey key) {
        Matcher m = ID.matcher(key.requestId());
        assertThat(m.matches()).as("a request id of the child's run: %s", key).isTrue();
        int thread = Integer.parseInt(m.group(1));
        int i = Integer.parseInt(m.group(2));
        assertThat(thread).isLessThan(THREADS);
        assertThat(key.userId()).isEqualTo(USERS[(thread + i) % USERS.length]);
        return Load.event("d", thread, i, key.userId(), Instant.EPOCH).costs().total().nanos();
    }
}
