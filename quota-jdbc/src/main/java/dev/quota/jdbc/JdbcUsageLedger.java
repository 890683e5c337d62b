package dev.quota.jdbc;

import dev.quota.core.limit.KeyUsage;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.LedgerResult.RejectedUsage;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.BillingMode;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UsageLedger} on the same database as the stores. {@link #store} works in ONE transaction per call: it
 * inserts the events whose key ({@link UsageKey}: user, request id) is not stored yet, and then applies the counter
 * changes of exactly the inserted events, summed per row (one change per balance, user × platform row,
 * subscription, API key row and API key × model row ({@link ApiKeyRows}); all use the same {@code now}, so adding
 * the sum equals adding each amount in turn, resets included). On PostgreSQL the whole batch is ONE statement, so one round trip
 * ({@link LedgerBatchStatement}: a chain of data-modifying CTEs that inserts from column arrays with
 * {@code ON CONFLICT DO NOTHING RETURNING} and lets the server sum the inserted rows into the catalog's counter
 * upserts); on MySQL/MariaDB and H2, per chunk of up to {@value JdbcUsageLog#ROWS_PER_STATEMENT} events, the
 * existing keys are looked up first, the new events go in multi-row INSERTs, and the counters as one JDBC batch
 * per kind (MySQL/MariaDB) or row by row (H2, embedded). The hourly roll-ups ({@code usage_hourly}, hours
 * of the business zone) of the stored events are added in the same transaction, so they are live;
 * {@code HourlyRollups.rebuild} still replaces a range with what the log holds. Rows are written in a fixed order
 * (log rows by key, each kind of counter row by its key), so concurrent batches cannot deadlock on each other; a
 * deadlock, serialization failure or lost insert race (a concurrent writer stored one of the keys first) rolls
 * the transaction back and runs it again, so the answer is always exact.
 *
 * <p><b>Poison isolation.</b> When the database refuses an event as data (SQLState class 22, or class 23 other
 * than the unique violation of a concurrent duplicate), the transaction is rolled back and run again in
 * isolating mode: each INSERT runs under a savepoint and a refused chunk is bisected until the refused events
 * are alone (on PostgreSQL each attempt is the one-statement store of that part, counters included); those are
 * written to {@code <prefix>usage_dead_letter} (escaped, see {@link DeadLetters}) and
 * reported in {@link LedgerResult#rejected()}; every other event is stored. Dead letters are written in the
 * same transaction as the good events, so that a call either takes full effect or (on an infrastructure
 * failure) none at all.
 *
 * <p>{@link BillingMode#NONE} events are stored (statistics and roll-ups count them) and move no counter.
 * {@link #apply} and {@link #applyAll} delegate to {@link #store}.
 */
final class JdbcUsageLedger implements UsageLedger {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcUsageLedger.class);

    private final Db db;
    private final JdbcUsageLog log;
    private final JdbcBalanceStore balances;
    private final JdbcSubscriptionStore subscriptions;
    private final JdbcPlatformQuotaStore platformQuotas;
    private final JdbcWindowCounterStore windowCounters;
    private final DeadLetters deadLetters;
    /** PostgreSQL: the whole batch, counters included, in one statement; null on the other dialects. */
    private final LedgerBatchStatement batch;

    JdbcUsageLedger(Db db, JdbcUsageLog log, JdbcBalanceStore balances, JdbcSubscriptionStore subscriptions,
                    JdbcPlatformQuotaStore platformQuotas, JdbcWindowCounterStore windowCounters) {
        this.db = db;
        this.log = log;
        this.balances = balances;
        this.subscriptions = subscriptions;
        this.platformQuotas = platformQuotas;
        this.windowCounters = windowCounters;
        this.deadLetters = new DeadLetters(db);
        this.batch = db.dialect == Dialect.POSTGRESQL ? new LedgerBatchStatement(db) : null;
    }

    /**
     * @return true when stored; false when its key was already stored, or when the database refused it as data
     *         (then it is in the dead letters)
     */
    @Override
    public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        return store(List.of(event), now, zone).stored().size() == 1;
    }

    /** @return how many were newly stored (duplicates and events refused as data are not counted) */
    @Override
    public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        Objects.requireNonNull(events, "events");
        return store(new ArrayList<>(events), now, zone).stored().size();
    }

    @Override
    public LedgerResult store(List<UsageEvent> events, Instant now, ZoneId zone) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        List<UsageEvent> sorted = JdbcUsageLog.uniqueSorted(events);
        if (sorted.isEmpty()) {
            return new LedgerResult(List.of(), List.of(), List.of());
        }
        Outcome outcome;
        try {
            outcome = db.tx("usage ledger store", h -> storeAll(h, sorted, now, zone, false));
        } catch (DataRejected first) {
            LOG.warn("The database refused an event of a batch of {} as data ({}); storing the batch again with"
                    + " the refused events moved to the dead letters", sorted.size(), first.getMessage());
            outcome = db.tx("usage ledger store (isolating refused events)",
                    h -> storeAll(h, sorted, now, zone, true));
        }
        return outcome.inInputOrder(events);
    }

    /** What one transaction did; {@link #inInputOrder} turns it into the port's answer. */
    private record Outcome(Set<UsageKey> stored, Map<UsageKey, String> rejected) {
        LedgerResult inInputOrder(List<UsageEvent> events) {
            List<UsageEvent> s = new ArrayList<>();
            List<UsageEvent> d = new ArrayList<>();
            List<RejectedUsage> r = new ArrayList<>();
            Set<UsageKey> seen = new HashSet<>();
            for (UsageEvent e : events) {
                UsageKey key = UsageKey.of(e);
                if (!seen.add(key)) {
                    d.add(e); // repeated in the batch: the first of the key decided
                } else if (stored.contains(key)) {
                    s.add(e);
                } else if (rejected.containsKey(key)) {
                    r.add(new RejectedUsage(e, rejected.get(key)));
                } else {
                    d.add(e);
                }
            }
            return new LedgerResult(s, d, r);
        }
    }

    private Outcome storeAll(Handle h, List<UsageEvent> sorted, Instant now, ZoneId zone, boolean isolate) {
        List<UsageEvent> stored = new ArrayList<>();
        Map<UsageKey, String> rejected = new LinkedHashMap<>();
        // PostgreSQL takes the whole batch in one statement (column arrays have no parameter limit); the other
        // dialects insert chunks of multi-row VALUES lists. Isolating, every dialect bisects chunks.
        int step = batch != null && !isolate ? Math.max(1, sorted.size()) : JdbcUsageLog.ROWS_PER_STATEMENT;
        int[] savepoints = new int[1];
        for (int i = 0; i < sorted.size(); i += step) {
            List<UsageEvent> chunk = sorted.subList(i, Math.min(sorted.size(), i + step));
            if (isolate) {
                insertIsolating(h, chunk, stored, rejected, savepoints, now, zone);
            } else {
                stored.addAll(insertNew(h, chunk, now, zone));
            }
        }
        if (!rejected.isEmpty()) {
            Map<UsageKey, UsageEvent> byKey = new LinkedHashMap<>();
            sorted.forEach(e -> byKey.put(UsageKey.of(e), e));
            rejected.forEach((key, error) -> deadLetters.insert(h, byKey.get(key), error, now));
        }
        if (batch == null) {
            applyCounters(h, stored, now, zone); // on PostgreSQL the batch statement changed them already
        }
        Set<UsageKey> keys = new HashSet<>();
        stored.forEach(e -> keys.add(UsageKey.of(e)));
        return new Outcome(keys, rejected);
    }

    /**
     * Inserts the events of {@code chunk} whose key is not stored yet (on PostgreSQL also applying their counter
     * and roll-up changes, in the same statement).
     *
     * @return the inserted events
     * @throws DataRejected when the database refuses one of them as data
     */
    private List<UsageEvent> insertNew(Handle h, List<UsageEvent> chunk, Instant now, ZoneId zone) {
        try {
            if (batch != null) {
                Set<UsageKey> inserted = batch.store(h, chunk, now, zone);
                List<UsageEvent> fresh = new ArrayList<>(inserted.size());
                for (UsageEvent e : chunk) {
                    if (inserted.contains(UsageKey.of(e))) {
                        fresh.add(e);
                    }
                }
                return fresh;
            }
            Set<UsageKey> existing = log.existingKeys(h, chunk);
            List<UsageEvent> fresh = new ArrayList<>(chunk.size());
            for (UsageEvent e : chunk) {
                if (!existing.contains(UsageKey.of(e))) {
                    fresh.add(e);
                }
            }
            if (!fresh.isEmpty()) {
                log.insertStrict(h, fresh);
            }
            return fresh;
        } catch (RuntimeException e) {
            if (e instanceof Db.RetryableConflict) {
                throw e;
            }
            java.sql.SQLException cause = Db.sqlCause(e);
            if (Db.isDataError(cause)) {
                throw new DataRejected(Db.brief(cause.getMessage()) + " (SQLState " + cause.getSQLState() + ")", e);
            }
            throw e;
        }
    }

    /** Inserts {@code chunk} under a savepoint; a refused chunk is bisected until each refused event is alone. */
    private void insertIsolating(Handle h, List<UsageEvent> chunk, List<UsageEvent> stored,
                                 Map<UsageKey, String> rejected, int[] savepoints, Instant now, ZoneId zone) {
        String savepoint = "quota_sp_" + savepoints[0]++;
        h.savepoint(savepoint);
        try {
            stored.addAll(insertNew(h, chunk, now, zone));
            h.releaseSavepoint(savepoint);
        } catch (DataRejected refused) {
            h.rollbackToSavepoint(savepoint);
            if (chunk.size() == 1) {
                UsageEvent e = chunk.get(0);
                LOG.error("Usage event {} of user {} refused by the database as data, moved to the dead letters: {}",
                        DeadLetters.escape(e.requestId()), e.userId(), refused.getMessage());
                rejected.put(UsageKey.of(e), refused.getMessage());
                return;
            }
            int half = chunk.size() / 2;
            insertIsolating(h, chunk.subList(0, half), stored, rejected, savepoints, now, zone);
            insertIsolating(h, chunk.subList(half, chunk.size()), stored, rejected, savepoints, now, zone);
        }
    }

    private record UserKey(long userId, String key) implements Comparable<UserKey> {
        @Override
        public int compareTo(UserKey o) {
            int c = Long.compare(userId, o.userId);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private record KeyModel(long apiKeyId, String model) implements Comparable<KeyModel> {
        @Override
        public int compareTo(KeyModel o) {
            int c = Long.compare(apiKeyId, o.apiKeyId);
            return c != 0 ? c : model.compareTo(o.model);
        }
    }

    private record UserGroup(long userId, long groupId) implements Comparable<UserGroup> {
        @Override
        public int compareTo(UserGroup o) {
            int c = Long.compare(userId, o.userId);
            return c != 0 ? c : Long.compare(groupId, o.groupId);
        }
    }

    /** Applies the summed counter changes of the stored events, one statement per row, in a fixed order. */
    private void applyCounters(Handle h, List<UsageEvent> stored, Instant now, ZoneId zone) {
        TreeMap<Long, Long> balance = new TreeMap<>();
        TreeMap<UserKey, Long> platform = new TreeMap<>();
        TreeMap<UserGroup, Long> subscription = new TreeMap<>();
        // per API key {cost, tokens}; per API key x model the cost
        TreeMap<Long, long[]> apiKey = new TreeMap<>();
        TreeMap<KeyModel, Long> keyModel = new TreeMap<>();
        for (UsageEvent e : stored) {
            long cost = e.costs().actual().nanos();
            switch (e.billingMode()) {
                case BALANCE -> {
                    balance.merge(e.userId(), cost, Math::addExact);
                    if (e.platform() != null) {
                        platform.merge(new UserKey(e.userId(), e.platform()), cost, Math::addExact);
                    }
                }
                case SUBSCRIPTION -> subscription.merge(new UserGroup(e.userId(), e.groupId()), cost, Math::addExact);
                case NONE -> {
                    continue; // logged only: stored for statistics, moves no counter
                }
                default -> throw new IllegalStateException("unknown billing mode " + e.billingMode());
            }
            if (e.apiKeyId() != null) {
                apiKey.merge(e.apiKeyId(), new long[] {cost, KeyUsage.countedTokens(e)},
                        (a, b) -> new long[] {Math.addExact(a[0], b[0]), Math.addExact(a[1], b[1])});
                if (e.model() != null) {
                    keyModel.merge(new KeyModel(e.apiKeyId(), e.model()), cost, Math::addExact);
                }
            }
        }
        List<Args> rows = new ArrayList<>();
        balance.forEach((user, cost) -> rows.add(JdbcBalanceStore.debitArgs(user, cost)));
        db.upsertAll(h, "balance.credit", rows);
        rows.clear();
        platform.forEach((k, cost) -> rows.add(JdbcPlatformQuotaStore.addUsageArgs(k.userId(), k.key(), cost, now,
                zone)));
        db.upsertAll(h, "platform_quota.add_usage", rows);
        rows.clear();
        subscription.forEach((k, cost) -> rows.add(JdbcSubscriptionStore.addUsageArgs(k.userId(), k.groupId(), cost,
                now)));
        db.updateAll(h, "subscription.add_usage", rows);
        rows.clear();
        apiKey.forEach((key, v) -> rows.add(ApiKeyRows.addArgs(key, v[0], v[1], now)));
        db.upsertAll(h, "api_key_usage.add", rows);
        rows.clear();
        keyModel.forEach((k, cost) -> rows.add(ApiKeyRows.addModelArgs(k.apiKeyId(), k.model(), cost, now)));
        db.upsertAll(h, "api_key_model_usage.add", rows);
        rows.clear();
        TreeMap<HourlyUsage, HourlyUsage> hourly = new TreeMap<>(JdbcRollupStore.KEY_ORDER);
        for (UsageEvent e : stored) {
            HourlyUsage one = HourlyUsage.of(e, zone);
            hourly.merge(one, one, HourlyUsage::plus);
        }
        hourly.values().forEach(r -> rows.add(JdbcRollupStore.addArgs(r)));
        db.upsertAll(h, "rollup.add", rows);
    }

    /** The database refused an event of a chunk as data; thrown out of the transaction to roll it back. */
    private static final class DataRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataRejected(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
