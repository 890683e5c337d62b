package dev.quota.faults;

import static dev.quota.faults.support.Scenario.assertCacheAgreesWithSql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.faults.support.Books;
import dev.quota.faults.support.Gateway;
import dev.quota.faults.support.Load;
import dev.quota.faults.support.Processes;
import dev.quota.faults.support.RedisServerProcess;
import dev.quota.faults.support.RedisServerProcess.Persistence;
import dev.quota.faults.support.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * (f) A poison event (one the database refuses; the door accepts it) among valid events of other users under
 * load: 0 valid events lost or delayed past the writer's rounds, the poison one in the dead-letter table with
 * its user's stored balance untouched.
 *
 * <p>The database refuses it through a CHECK constraint the test adds to the ledger table (SQLState 23514 on
 * PostgreSQL, 23513 on H2: a data error, not an outage), so no validation has to be bypassed.
 */
class PoisonEventFaultTest {

    private static final long[] USERS = {1, 2, 3, 4, 5};
    private static final long POISON_USER = 99;
    private static final String POISON_MODEL = "poison-model";

    @Test
    void aPoisonEventAmongValidEventsIsDeadLetteredAndNoValidEventIsLost() {
        try (RedisServerProcess redis = RedisServerProcess.start(Persistence.NONE);
             Gateway gw = Gateway.settings(redis.port(), Scenario.h2Url())
                     .writer(w -> w.closeTimeout(Duration.ofSeconds(2))).start()) {
            gw.installSchema();
            Scenario.fund(gw, USERS);
            Scenario.fund(gw, POISON_USER);
            String table = gw.sql().tablePrefix() + "usage_log";
            gw.sql().jdbi().useHandle(h -> h.execute("ALTER TABLE " + table + " ADD CONSTRAINT "
                    + gw.sql().tablePrefix() + "no_poison CHECK (model IS NULL OR model <> '" + POISON_MODEL + "')"));

            Load load = Load.start(gw.gate(), "f", USERS, 4, 500, e -> { });
            load.awaitAcked(300, 60_000);
            UsageEvent poison = UsageEvent.builder("f-poison", POISON_USER).platform(Gateway.PLATFORM)
                    .model(POISON_MODEL).tokens(1, 1, 0, 0).totalCost(Money.parse("0.5")).occurredAt(Instant.now()).build();
            gw.gate().record(poison);
            load.join();

            Map<UsageKey, Long> valid = new HashMap<>(load.acked());
            Books books = new Books(gw.sql());
            // bounded wait instead of flush(): before the fix a batch holding the poison is retried forever
            Processes.await("every valid event stored", 30_000, () -> books.ledgerRows() >= valid.size());
            assertThat(books.ledger()).as("ledger rows = valid acknowledged records").isEqualTo(valid);
            Processes.await("the poison event dead-lettered", 30_000,
                    () -> books.deadLetters().contains(UsageKey.of(poison)));
            Scenario.heal(gw, USERS);
            Scenario.assertBooksExact(gw, valid, USERS);
            assertThat(books.balance(POISON_USER)).isEqualTo(Scenario.START);
            assertCacheAgreesWithSql(gw, USERS);
            assertCacheAgreesWithSql(gw, POISON_USER);
        }
    }
}
