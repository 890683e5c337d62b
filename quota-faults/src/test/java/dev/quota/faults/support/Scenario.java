package dev.quota.faults.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.Money;
import dev.quota.core.usage.UsageKey;
import java.util.Map;
import java.util.UUID;

/**
 * Shared steps of the fault scenarios: unique names, funding users, healing (waiting until the writers and
 * the outbox drained) and the exact assertions every scenario ends with.
 */
public final class Scenario {

    /** What every scenario user starts with. */
    public static final Money START = Money.ofUnits(1_000);

    private Scenario() {
    }

    /** @return a unique lower-case identifier, usable as a table or key prefix */
    public static String uniqueId() {
        return "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** @return the URL of a new private in-memory H2 database */
    public static String h2Url() {
        return "jdbc:h2:mem:" + uniqueId() + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * Gives each user the {@link #START} balance in SQL.
     *
     * @param gw the gateway whose SQL holds the balances
     * @param users the users
     */
    public static void fund(Gateway gw, long... users) {
        for (long u : users) {
            gw.sql().balances().set(u, START);
        }
    }

    /**
     * Warms every user's entries, as a gateway that has been running has them: one check each, then waits
     * until the refills were written.
     *
     * @param gw the gateway
     * @param users the users
     */
    public static void warm(Gateway gw, long... users) {
        for (long u : users) {
            Processes.await("warm entries of user " + u, 30_000, () -> {
                gw.gate().check(Gateway.request(u));
                gw.gate().flush();
                return gw.cachedBalance(u) != null;
            });
        }
    }

    /**
     * Prepares a gateway as one that has been running: installs the schema, {@link #fund funds} and
     * {@link #warm warms} the users.
     *
     * @param gw the gateway
     * @param users the users
     */
    public static void running(Gateway gw, long... users) {
        gw.installSchema();
        fund(gw, users);
        warm(gw, users);
    }

    /**
     * A Redis fault under load, end to end: four threads record {@code records} events each as {@code prefix}*; once
     * {@code before} are acknowledged the fault starts, and it is healed after {@code during} more; then no record
     * may have been refused (SQL was up all along), at least {@code during} must have been acknowledged during the
     * fault, and the books must hold exactly the acknowledged usage.
     *
     * @param gw the gateway, {@link #running} already
     * @param prefix the request ids' prefix
     * @param records the events each thread records
     * @param before acknowledged records before the fault
     * @param fault starts the fault
     * @param during acknowledged records the fault lasts for
     * @param heal ends the fault
     * @param users the users
     */
    public static void recordThroughRedisFault(Gateway gw, String prefix, int records, int before, Runnable fault,
                                               int during, Runnable heal, long... users) {
        Load load = Load.start(gw.gate(), prefix, users, 4, records, e -> { });
        load.awaitAcked(before, 60_000);
        int acknowledgedDuring = load.ackedThrough(fault, during, heal);
        load.join();

        assertThat(load.unavailable()).as("records refused (SQL was up all along)").isZero();
        assertThat(acknowledgedDuring).as("records acknowledged during the Redis fault")
                .isGreaterThanOrEqualTo(during);
        assertHealedBooks(gw, load.acked(), users);
    }

    /**
     * After the load: {@link #heal heals}, then asserts that the books hold exactly the acknowledged usage and
     * that the cache agrees with SQL.
     *
     * @param gw the gateway
     * @param acked the acknowledged records of the load
     * @param users the users
     */
    public static void assertHealedBooks(Gateway gw, Map<UsageKey, Long> acked, long... users) {
        heal(gw, users);
        assertBooksExact(gw, acked, users);
        assertCacheAgreesWithSql(gw, users);
    }

    /**
     * Heals: waits until the gate's writer stored what it holds and (when the gate has an outbox) the outbox
     * is empty, then lets every user's entries refill by checking once, and waits for those cache writes.
     *
     * @param gw the gateway
     * @param users the users to check
     */
    public static void heal(Gateway gw, long... users) {
        gw.gate().flush();
        gw.awaitOutboxDrained(60_000);
        for (long u : users) {
            gw.gate().check(Gateway.request(u));
        }
        gw.gate().flush();
    }

    /**
     * Ledger rows = the given records, exactly (keys and costs), and each user's balance = start − the sum of
     * that user's costs, to the nano-unit.
     *
     * @param gw the gateway
     * @param expected the records that must be stored, by key, cost in nanos
     * @param users the users
     */
    public static void assertBooksExact(Gateway gw, Map<UsageKey, Long> expected, long... users) {
        Books books = new Books(gw.sql());
        Map<UsageKey, Long> ledger = books.ledger();
        assertThat(ledger.keySet()).as("ledger rows missing (acknowledged, not stored)")
                .containsAll(expected.keySet());
        assertThat(ledger).as("ledger rows = acknowledged records").isEqualTo(expected);
        for (long u : users) {
            assertThat(books.balance(u)).as("balance of user %d", u)
                    .isEqualTo(START.minus(Money.ofNanos(Books.sumFor(expected, u))));
        }
    }

    /**
     * After healing, every cached counter equals SQL or is absent: each balance equals the stored one, and each
     * API key window (all of a scenario's events fall into the current windows) equals the sum of the costs the
     * ledger holds for that key.
     *
     * @param gw the gateway
     * @param users the users
     */
    public static void assertCacheAgreesWithSql(Gateway gw, long... users) {
        Books books = new Books(gw.sql());
        Map<UsageKey, Long> ledger = books.ledger();
        for (long u : users) {
            Money cached = gw.cachedBalance(u);
            if (cached != null) {
                assertThat(cached).as("cached balance of user %d (SQL is the truth)", u).isEqualTo(books.balance(u));
            }
            KeyUsage keyUsage = gw.cachedKeyUsage(u);
            if (keyUsage != null) {
                long stored = Books.sumFor(ledger, u); // one key per user
                for (KeyWindow w : KeyWindow.values()) {
                    if (keyUsage.usage(w) != null) {
                        assertThat(keyUsage.usage(w).used())
                                .as("cached %s window of user %d's key (SQL is the truth)", w, u)
                                .isEqualTo(stored);
                    }
                }
            }
        }
    }
}
