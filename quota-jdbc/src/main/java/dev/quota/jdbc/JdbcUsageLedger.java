package dev.quota.jdbc;

import dev.quota.core.limit.KeyWindow;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * {@link UsageLedger} on the same database as the stores: in one transaction, each event's row is inserted
 * into the usage log unless its request id is already there, and only the events actually inserted are
 * applied to the balance, user × platform, subscription and API key window rows. A replay therefore changes
 * nothing, and a failure half-way rolls everything back (the transaction is retried on deadlocks).
 *
 * <p>{@link #applyAll} works in transactions of up to {@value #EVENTS_PER_TRANSACTION} events. Within one, the
 * counter changes of the new events are summed per row in Java (all use the same {@code now}, so adding the
 * sum equals adding each amount in turn, resets included) and applied in a fixed order (balances by user,
 * platform records, subscriptions, then counters by name) so that concurrent batches cannot deadlock on
 * each other's rows.
 */
final class JdbcUsageLedger implements UsageLedger {

    /** Events per transaction in {@link #applyAll}. */
    static final int EVENTS_PER_TRANSACTION = 500;

    private final Db db;
    private final JdbcUsageLog log;
    private final JdbcBalanceStore balances;
    private final JdbcSubscriptionStore subscriptions;
    private final JdbcPlatformQuotaStore platformQuotas;
    private final JdbcWindowCounterStore windowCounters;

    JdbcUsageLedger(Db db, JdbcUsageLog log, JdbcBalanceStore balances, JdbcSubscriptionStore subscriptions,
                    JdbcPlatformQuotaStore platformQuotas, JdbcWindowCounterStore windowCounters) {
        this.db = db;
        this.log = log;
        this.balances = balances;
        this.subscriptions = subscriptions;
        this.platformQuotas = platformQuotas;
        this.windowCounters = windowCounters;
    }

    @Override
    public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        return applyAll(List.of(event), now, zone) == 1;
    }

    @Override
    public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        List<UsageEvent> sorted = JdbcUsageLog.uniqueSorted(events);
        int applied = 0;
        for (int i = 0; i < sorted.size(); i += EVENTS_PER_TRANSACTION) {
            List<UsageEvent> chunk = sorted.subList(i, Math.min(sorted.size(), i + EVENTS_PER_TRANSACTION));
            applied += db.tx("usage ledger apply", h -> applyChunk(h, chunk, now, zone));
        }
        return applied;
    }

    private record UserKey(long userId, String key) implements Comparable<UserKey> {
        @Override
        public int compareTo(UserKey o) {
            int c = Long.compare(userId, o.userId);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private record UserGroup(long userId, long groupId) implements Comparable<UserGroup> {
        @Override
        public int compareTo(UserGroup o) {
            int c = Long.compare(userId, o.userId);
            return c != 0 ? c : Long.compare(groupId, o.groupId);
        }
    }

    private int applyChunk(Handle h, List<UsageEvent> chunk, Instant now, ZoneId zone) {
        TreeMap<Long, Long> balance = new TreeMap<>();
        TreeMap<UserKey, Long> platform = new TreeMap<>();
        TreeMap<UserGroup, Long> subscription = new TreeMap<>();
        TreeMap<Long, Long> apiKey = new TreeMap<>();
        int applied = 0;
        for (UsageEvent e : chunk) {
            if (log.insert(h, List.of(e)) == 0) {
                continue; // already in the ledger: applied before
            }
            applied++;
            long cost = e.actualCost().nanos();
            if (e.billingMode() == BillingMode.BALANCE) {
                balance.merge(e.userId(), cost, Math::addExact);
                if (e.platform() != null) {
                    platform.merge(new UserKey(e.userId(), e.platform()), cost, Math::addExact);
                }
            } else {
                subscription.merge(new UserGroup(e.userId(), e.groupId()), cost, Math::addExact);
            }
            if (e.apiKeyId() != null) {
                apiKey.merge(e.apiKeyId(), cost, Math::addExact);
            }
        }
        balance.forEach((user, cost) -> balances.debitCreating(h, user, cost));
        platform.forEach((k, cost) -> platformQuotas.addUsage(h, k.userId(), k.key(), cost, now, zone));
        subscription.forEach((k, cost) -> subscriptions.addUsage(h, k.userId(), k.groupId(), cost, now));
        TreeMap<String, long[]> counters = new TreeMap<>();
        apiKey.forEach((key, cost) -> {
            for (KeyWindow w : KeyWindow.values()) {
                counters.put(UsageLedger.keyCounter(key, w), new long[] {w.ordinal(), cost});
            }
        });
        counters.forEach((name, v) -> windowCounters.add(h, name, KeyWindow.values()[(int) v[0]].window(), v[1],
                now, zone));
        return applied;
    }
}
