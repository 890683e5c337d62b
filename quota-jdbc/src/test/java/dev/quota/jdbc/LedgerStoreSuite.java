package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.PoisonEvents;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link UsageLedger#store} on a real database: the outcome of every event, poison isolation (an event the
 * database refuses is moved to the dead letters and every valid event of the batch is stored exactly once),
 * infrastructure failures (nothing stored).
 */
abstract class LedgerStoreSuite extends TablesSuite {

    static final String PREFIX = "ls_";
    static final Instant NOW = Instant.parse("2025-03-12T06:30:00Z");

    LedgerStoreSuite() {
        super(PREFIX);
    }

    static UsageEvent valid(String requestId, long userId, long nanos) {
        return UsageEvent.builder(requestId, userId).apiKeyId(userId * 10).platform("anthropic").model("claude")
                .tokens(10, 5, 0, 0).totalCost(Money.ofNanos(nanos)).occurredAt(NOW).build();
    }

    /** A model longer than its VARCHAR(128) column: refused by PostgreSQL, MariaDB (strict) and H2 alike. */
    static UsageEvent poison(String requestId, long userId) {
        return PoisonEvents.unchecked(() -> UsageEvent.builder(requestId, userId).apiKeyId(userId * 10)
                .platform("anthropic").model("m".repeat(200)).totalCost(Money.ofNanos(999)).occurredAt(NOW).build());
    }

    LedgerResult store(List<UsageEvent> events) {
        return quota.ledger().store(events, NOW, SHANGHAI);
    }

    long deadLetters() {
        return db().count(PREFIX + "usage_dead_letter");
    }

    @Test
    void storeReportsStoredAndDuplicatesInInputOrder() {
        UsageEvent a = valid("a", 1, 100);
        UsageEvent b = valid("b", 1, 200);
        UsageEvent aOfUser2 = valid("a", 2, 300);
        store(List.of(a));

        LedgerResult r = store(List.of(b, a, aOfUser2, b));

        assertThat(r.stored()).containsExactly(b, aOfUser2);
        assertThat(r.duplicates()).containsExactly(a, b);
        assertThat(r.rejected()).isEmpty();
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-300));
        assertThat(quota.balances().find(2)).contains(Money.ofNanos(-300));
    }

    @Test
    void aPoisonEventBetweenValidEventsOfOtherUsersIsDeadLetteredAndEveryValidEventIsStoredOnce() {
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(valid("r-" + i, 1 + i % 4, 1_000));
        }
        UsageEvent bad = poison("r-poison", 9);
        batch.add(20, bad);

        LedgerResult r = store(batch);

        assertThat(r.rejected()).hasSize(1);
        assertThat(r.rejected().get(0).event()).isEqualTo(bad);
        assertThat(r.rejected().get(0).error()).isNotBlank();
        assertThat(r.stored()).hasSize(40).doesNotContain(bad);
        assertThat(r.duplicates()).isEmpty();
        assertThat(quota.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(40);
        for (long user = 1; user <= 4; user++) {
            assertThat(quota.balances().find(user)).as("user %d", user).contains(Money.ofNanos(-10_000));
            assertThat(quota.windowCounters().findKeyUsage(user, user * 10).orElseThrow().oneDay()
                    .used()).isEqualTo(10_000);
        }
        assertThat(quota.balances().find(9)).isEmpty();
        assertThat(quota.usageLog().find(new UsageKey(9, "r-poison"))).isEmpty();
        assertThat(deadLetters()).isEqualTo(1);
        List<String> row = db().jdbi.withHandle(h -> h.createQuery(
                "SELECT user_id, request_id, payload, error FROM " + PREFIX + "usage_dead_letter")
                .map((rs, ctx) -> List.of(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4))).one());
        assertThat(row.get(0)).isEqualTo("9");
        assertThat(row.get(1)).isEqualTo("r-poison");
        assertThat(row.get(2)).contains("r-poison").contains("m".repeat(200));
        assertThat(row.get(3)).isEqualTo(r.rejected().get(0).error());

        LedgerResult again = store(batch);
        assertThat(again.stored()).isEmpty();
        assertThat(again.duplicates()).hasSize(40);
        assertThat(again.rejected()).extracting(LedgerResult.RejectedUsage::event).containsExactly(bad);
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-10_000));
    }

    @Test
    void storedEventsAddTheirHourlyRollupsInTheSameTransactionAndARebuildAgrees() {
        UsageEvent logged = UsageEvent.builder("n", 1).billingMode(dev.quota.core.BillingMode.NONE)
                .model("claude").tokens(1, 1, 0, 0).totalCost(Money.ofNanos(3)).occurredAt(NOW).build();
        store(List.of(valid("a", 1, 100), valid("b", 1, 200), logged, valid("c", 2, 5)));
        store(List.of(valid("a", 1, 100)));
        Instant hour = dev.quota.core.usage.HourlyUsage.hourOf(NOW, SHANGHAI);
        var expected = List.of(new dev.quota.core.usage.HourlyUsage(hour, 1, "claude", 3, 32, Money.ofNanos(303)));

        assertThat(quota.rollups().find(1L, hour, hour.plusSeconds(3600))).isEqualTo(expected);
        dev.quota.core.stats.HourlyRollups.create(quota.usageLog(), quota.rollups(), SHANGHAI)
                .rebuild(hour, hour.plusSeconds(3600));
        assertThat(quota.rollups().find(1L, hour, hour.plusSeconds(3600))).isEqualTo(expected);
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-300));
    }

    @Test
    void severalPoisonEventsInOneBatchAreAllIsolated() {
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(i % 10 == 3 ? poison("p-" + i, 5) : valid("v-" + i, 1, 10));
        }

        LedgerResult r = store(batch);

        assertThat(r.rejected()).hasSize(3);
        assertThat(r.stored()).hasSize(27);
        assertThat(quota.balances().find(1)).contains(Money.ofNanos(-270));
        assertThat(deadLetters()).isEqualTo(3);
    }

    @Test
    void applyAllStoresTheValidEventsAndSkipsThePoison() {
        int applied = quota.ledger().applyAll(List.of(valid("x", 1, 5), poison("y", 1), valid("z", 2, 5)), NOW,
                SHANGHAI);

        assertThat(applied).isEqualTo(2);
        assertThat(quota.ledger().apply(poison("w", 3), NOW, SHANGHAI)).isFalse();
        assertThat(deadLetters()).isEqualTo(2);
    }

    @Test
    void anOutageThrowsBackendUnavailableAndStoresNothing() {
        org.jdbi.v3.core.Jdbi refused = org.jdbi.v3.core.Jdbi.create(() -> {
            throw new java.sql.SQLException("connection refused", "08001");
        });
        JdbcQuota down = JdbcQuota.builder(refused).dialect(db().dialect).tablePrefix(PREFIX).build();

        assertThatThrownBy(() -> down.ledger().store(List.of(valid("o", 1, 5)), NOW, SHANGHAI))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(quota.usageLog().totals(UsageFilter.all()).requests()).isZero();
    }

    @Test
    void aNulCharacterPastTheDoorIsRefusedByPostgresqlAndStoredUnchangedElsewhere() {
        UsageEvent nul = PoisonEvents.unchecked(() -> UsageEvent.builder("nul", 4).model("a\u0000b")
                .totalCost(Money.ofNanos(5)).occurredAt(NOW).build());

        LedgerResult r = store(List.of(valid("ok", 3, 5), nul));

        assertThat(r.stored()).contains(valid("ok", 3, 5));
        if (db().dialect == Dialect.POSTGRESQL) {
            assertThat(r.rejected()).extracting(LedgerResult.RejectedUsage::event).containsExactly(nul);
            String payload = db().jdbi.withHandle(h -> h.createQuery("SELECT payload FROM " + PREFIX
                    + "usage_dead_letter").mapTo(String.class).one());
            assertThat(payload).contains("a\\u0000b");
        } else {
            assertThat(r.stored()).contains(nul);
            String model = db().jdbi.withHandle(h -> h.createQuery("SELECT model FROM " + PREFIX
                    + "usage_log WHERE user_id = 4").mapTo(String.class).one());
            assertThat(model).isEqualTo("a\u0000b"); // stored unchanged; the door refuses it (UsageEventDoorTest)
        }
    }

    @Test
    void aThousandEventsOfManyUsersAreStoredInOneCallWithExactCounters() {
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(valid("k-" + i, 1 + i % 13, 7));
        }

        LedgerResult r = store(batch);

        assertThat(r.stored()).hasSize(1_000);
        long total = 0;
        for (long user = 1; user <= 13; user++) {
            total += quota.balances().find(user).orElseThrow().nanos();
        }
        assertThat(total).isEqualTo(-7_000);
        assertThat(quota.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(1_000);
    }

    /**
     * More counter rows than one multi-row statement carries on MySQL / MariaDB (MultiRowUpsert.MAX_VALUES_ROWS),
     * each user with a cost of its own, so a row bound to the wrong user or a chunk written twice or not at all
     * shows in some user's counters.
     */
    @Test
    void aBatchWithMoreCounterRowsThanOneStatementCarriesKeepsEveryUsersRowsExact() {
        int users = 2 * MultiRowUpsert.MAX_VALUES_ROWS + 300;
        List<UsageEvent> batch = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (long user = 1; user <= users; user++) {
                batch.add(valid("m-" + round + "-" + user, user, 1_000 + user));
            }
        }

        LedgerResult r = store(batch);

        assertThat(r.stored()).hasSize(2 * users);
        for (long user = 1; user <= users; user++) {
            long spent = 2 * (1_000 + user);
            assertThat(quota.balances().find(user)).as("balance of user %d", user).contains(Money.ofNanos(-spent));
            assertThat(quota.windowCounters().findKeyUsage(user, user * 10).orElseThrow().oneDay().used())
                    .as("key of user %d", user).isEqualTo(spent);
            assertThat(quota.windowCounters().findKeyModelUsage(user, user * 10, "claude").orElseThrow().oneDay()
                    .used()).as("key x model of user %d", user).isEqualTo(spent);
            assertThat(quota.platformQuotas().find(user, "anthropic").orElseThrow().daily().used())
                    .as("platform row of user %d", user).isEqualTo(spent);
        }
        Instant hour = dev.quota.core.usage.HourlyUsage.hourOf(NOW, SHANGHAI);
        assertThat(quota.rollups().find((long) users, hour, hour.plusSeconds(3600))).containsExactly(
                new dev.quota.core.usage.HourlyUsage(hour, users, "claude", 2, 30,
                        Money.ofNanos(2 * (1_000L + users))));
    }

    @Test
    void textWithQuotesBackslashesBracesAndUnicodeAndTheWordNullRoundTripsExactly() {
        // PostgreSQL receives each column of a batch as one array parameter: its text encoding must not bend
        // quotes, backslashes, braces, commas, blanks, non-BMP characters or the string "NULL" (not a null).
        String[] texts = {"it's \"quoted\"", "back\\slash\\", "{braces}, and, commas", "NULL", "null", "",
            "  padded  ", "\u4e2d\u6587 \u00e9\u00e8 \ud83d\ude80", "a\\\"b"};
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            batch.add(UsageEvent.builder("t-" + i + texts[i], 20 + i).platform(i % 2 == 0 ? "NULL" : "null")
                    .model(texts[i].isEmpty() ? "m" : texts[i]).errorMessage(texts[i] + "\nline two\ttab").httpStatus(500)
                    .accountId(7).groupId(8).tokens(1, 2, 3, 4).totalCost(Money.ofNanos(5 + i))
                    .actualCost(Money.ofNanos(4 + i)).costParts(Money.ofNanos(1), Money.ofNanos(2),
                            Money.ofNanos(3), Money.ofNanos(4)).responseTimeMs(77).attempts(3)
                    .occurredAt(NOW.plusMillis(i)).build());
        }
        UsageEvent nulls = UsageEvent.builder("all-nulls", 40).occurredAt(NOW).build();
        batch.add(nulls);

        LedgerResult r = store(batch);

        assertThat(r.stored()).containsExactlyElementsOf(batch);
        for (UsageEvent e : batch) {
            assertThat(quota.usageLog().find(UsageKey.of(e))).as(e.requestId()).contains(e);
        }
        assertThat(quota.usageLog().find(UsageKey.of(nulls)).orElseThrow().platform()).isNull();
        assertThat(store(batch).duplicates()).containsExactlyElementsOf(batch);
    }

    @Test
    void anEmptyBatchStoresNothingAndTouchesNoTable() {
        LedgerResult r = store(List.of());

        assertThat(r.stored()).isEmpty();
        assertThat(r.duplicates()).isEmpty();
        assertThat(r.rejected()).isEmpty();
        assertThat(quota.usageLog().totals(UsageFilter.all()).requests()).isZero();
    }

    @Test
    void aBatchLongerThanOneChunkWithRepeatsStoredKeysAndAPoisonEventStoresEachNewKeyOnce() {
        store(List.of(valid("c-10", 2, 1_000), valid("c-700", 2, 1_000))); // i = 10 and 700 go to user 2
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            batch.add(valid("c-" + i, 1 + i % 3, 1_000));
        }
        batch.add(valid("c-5", 3, 1_000)); // repeats the key of i = 5 in this batch
        UsageEvent bad = poison("c-poison", 1);
        batch.add(600, bad);

        LedgerResult r = store(batch);

        assertThat(r.rejected()).extracting(LedgerResult.RejectedUsage::event).containsExactly(bad);
        assertThat(r.stored()).hasSize(1_198).doesNotContain(valid("c-10", 2, 1_000), valid("c-700", 2, 1_000));
        assertThat(r.duplicates()).containsExactlyInAnyOrder(valid("c-10", 2, 1_000), valid("c-700", 2, 1_000),
                valid("c-5", 3, 1_000));
        assertThat(quota.usageLog().totals(UsageFilter.all()).requests()).isEqualTo(1_200);
        long total = 0;
        for (long user = 1; user <= 3; user++) {
            total += quota.balances().find(user).orElseThrow().nanos();
        }
        assertThat(total).isEqualTo(-1_200_000);
        assertThat(deadLetters()).isEqualTo(1);
    }
}
