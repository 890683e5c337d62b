package dev.quota.testkit;

import dev.quota.core.limit.KeyUsage;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory {@link UsageLedger} over the in-memory stores: appends each event to an
 * {@link InMemoryUsageLog} and applies it to an {@link InMemoryBalanceStore}, {@link InMemorySubscriptionStore},
 * {@link InMemoryPlatformQuotaStore} and {@link InMemoryWindowCounterStore} (API key windows one record per key
 * and per key × model, read with {@code findKeyUsage} / {@code findKeyModelUsage}), once per key (user, request id). Each event is one atomic step with respect to
 * other ledger calls: the ledger holds the log's lock while it checks the key (user, request id), applies the
 * counters and appends the event. {@link dev.quota.core.BillingMode#NONE} events are logged and move no
 * counter.
 *
 * <p>Failures are injected through {@link #faults()} (checked once per call, before anything changes, so a
 * failed call applies nothing); the stores' own {@code Faults} are not consulted by the ledger.
 *
 * <p>Build it on fresh stores with {@link #create()}, or on the stores a {@code BillingGate} under test also
 * uses with {@link #InMemoryUsageLedger(InMemoryUsageLog, InMemoryBalanceStore, InMemorySubscriptionStore,
 * InMemoryPlatformQuotaStore, InMemoryWindowCounterStore)}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryUsageLedger extends FaultInjectedFake implements UsageLedger {

    private final InMemoryUsageLog log;
    private final InMemoryBalanceStore balances;
    private final InMemorySubscriptionStore subscriptions;
    private final InMemoryPlatformQuotaStore platformQuotas;
    private final InMemoryWindowCounterStore windowCounters;
    /** The hourly roll-ups kept with the log, or null. */
    private final InMemoryRollupStore rollups;

    /**
     * Creates a ledger over the given stores, with its own {@link Faults}.
     *
     * @param log where events are appended
     * @param balances balances deducted in balance mode
     * @param subscriptions subscriptions counted in subscription mode
     * @param platformQuotas user × platform windows counted in balance mode
     * @param windowCounters API key window counters
     */
    public InMemoryUsageLedger(InMemoryUsageLog log, InMemoryBalanceStore balances,
                               InMemorySubscriptionStore subscriptions, InMemoryPlatformQuotaStore platformQuotas,
                               InMemoryWindowCounterStore windowCounters) {
        this(log, balances, subscriptions, platformQuotas, windowCounters, new Faults());
    }

    /**
     * Creates a ledger over the given stores.
     *
     * @param log where events are appended
     * @param balances balances deducted in balance mode
     * @param subscriptions subscriptions counted in subscription mode
     * @param platformQuotas user × platform windows counted in balance mode
     * @param windowCounters API key window counters
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryUsageLedger(InMemoryUsageLog log, InMemoryBalanceStore balances,
                               InMemorySubscriptionStore subscriptions, InMemoryPlatformQuotaStore platformQuotas,
                               InMemoryWindowCounterStore windowCounters, Faults faults) {
        this(log, balances, subscriptions, platformQuotas, windowCounters, null, faults);
    }

    /**
     * Creates a ledger over the given stores that also keeps the hourly user × model roll-ups, as the SQL ledger
     * does in the transaction that stores the events: no {@code HourlyRollups.rebuild} is needed for them to be
     * exact.
     *
     * @param log where events are appended
     * @param balances balances deducted in balance mode
     * @param subscriptions subscriptions counted in subscription mode
     * @param platformQuotas user × platform windows counted in balance mode
     * @param windowCounters API key window counters
     * @param rollups the hourly roll-ups every stored event is added to, or {@code null} for none
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemoryUsageLedger(InMemoryUsageLog log, InMemoryBalanceStore balances,
                               InMemorySubscriptionStore subscriptions, InMemoryPlatformQuotaStore platformQuotas,
                               InMemoryWindowCounterStore windowCounters, InMemoryRollupStore rollups, Faults faults) {
        super(faults);
        this.rollups = rollups;
        this.log = Objects.requireNonNull(log, "log");
        this.balances = Objects.requireNonNull(balances, "balances");
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
        this.platformQuotas = Objects.requireNonNull(platformQuotas, "platformQuotas");
        this.windowCounters = Objects.requireNonNull(windowCounters, "windowCounters");
    }

    /** @return a ledger over fresh, empty in-memory stores */
    public static InMemoryUsageLedger create() {
        return new InMemoryUsageLedger(new InMemoryUsageLog(), new InMemoryBalanceStore(),
                new InMemorySubscriptionStore(), new InMemoryPlatformQuotaStore(), new InMemoryWindowCounterStore());
    }

    /** @return the usage log events are appended to */
    public InMemoryUsageLog log() {
        return log;
    }

    /** @return the balance store */
    public InMemoryBalanceStore balances() {
        return balances;
    }

    /** @return the subscription store */
    public InMemorySubscriptionStore subscriptions() {
        return subscriptions;
    }

    /** @return the platform quota store */
    public InMemoryPlatformQuotaStore platformQuotas() {
        return platformQuotas;
    }

    /** @return the window counter store holding the API key windows */
    public InMemoryWindowCounterStore windowCounters() {
        return windowCounters;
    }

    @Override
    public boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        faults.beforeCall("UsageLedger.apply");
        synchronized (log.lock()) {
            return applyLocked(event, now, zone);
        }
    }

    @Override
    public int applyAll(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        requireBatch(events, now, zone);
        faults.beforeCall("UsageLedger.applyAll");
        int applied = 0;
        synchronized (log.lock()) {
            for (UsageEvent e : events) {
                if (applyLocked(e, now, zone)) {
                    applied++;
                }
            }
        }
        return applied;
    }

    private static void requireBatch(Collection<UsageEvent> events, Instant now, ZoneId zone) {
        Objects.requireNonNull(events, "events");
        for (UsageEvent e : events) {
            Objects.requireNonNull(e, "events must not contain null");
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * Stores the batch atomically (one lock): each event is stored or, when its key (user, request id) is already
     * stored or repeated in the batch, reported as a duplicate. Never rejects: memory refuses no value.
     */
    @Override
    public LedgerResult store(List<UsageEvent> events, Instant now, ZoneId zone) {
        requireBatch(events, now, zone);
        faults.beforeCall("UsageLedger.store");
        List<UsageEvent> stored = new ArrayList<>();
        List<UsageEvent> duplicates = new ArrayList<>();
        synchronized (log.lock()) {
            for (UsageEvent e : events) {
                (applyLocked(e, now, zone) ? stored : duplicates).add(e);
            }
        }
        return new LedgerResult(stored, duplicates, List.of());
    }

    private boolean applyLocked(UsageEvent event, Instant now, ZoneId zone) {
        if (!countersLocked(event, now, zone)) {
            return false;
        }
        if (rollups != null) {
            rollups.addQuietly(HourlyUsage.of(event, zone));
        }
        return true;
    }

    /** Appends the event and moves its counters; false (nothing changed) when its key is stored already. */
    private boolean countersLocked(UsageEvent event, Instant now, ZoneId zone) {
        if (log.containsQuietly(UsageKey.of(event))) {
            return false;
        }
        long userId = event.userId();
        switch (event.billingMode()) {
            case BALANCE -> {
                balances.debitCreatingQuietly(userId, event.costs().actual());
                if (event.platform() != null) {
                    platformQuotas.addUsageQuietly(userId, event.platform(), event.costs().actual(), now, zone);
                }
            }
            case SUBSCRIPTION -> subscriptions.addUsageQuietly(userId, event.groupId(), event.costs().actual(), now);
            case NONE -> {
                return log.appendQuietly(event); // logged only: stored for statistics, moves no counter
            }
            default -> throw new IllegalStateException("unknown billing mode " + event.billingMode());
        }
        if (event.apiKeyId() != null) {
            windowCounters.addKeyUsageQuietly(event.apiKeyId(), event.model(), event.costs().actual().nanos(),
                    KeyUsage.countedTokens(event), now);
        }
        return log.appendQuietly(event);
    }
}
