package dev.quota.testkit;

import dev.quota.core.BillingGate;
import dev.quota.core.account.AccountUsageService;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Every in-memory port wired together the way production wires Redis and SQL, for a gateway team's unit
 * tests: one call gives a cache, the stores, a ledger and a usage sink that share one {@link MutableClock},
 * and {@link #gateBuilder()} returns a {@link BillingGate.Builder} already connected to all of them (the cache's
 * usage outbox included, so the gate acknowledges stored usage and drains what dead instances left).
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.startingAt("2025-03-10T08:00:00Z");
 * InMemoryQuota quota = InMemoryQuota.create(clock, ZoneId.of("Asia/Shanghai"));
 * quota.balances().set(42, Money.parse("5"));
 * try (BillingGate gate = quota.gateBuilder().build()) {
 *     Decision d = gate.check(CheckRequest.builder(42).build());
 *     quota.cacheFaults().failAlways();   // "Redis is down": the gate falls back to the stores
 * }
 * }</pre>
 *
 * <p>Failure domains: the cache and its RPM counter obey {@link #cacheFaults()} ("Redis"); the stores, the
 * usage log and the ledger obey {@link #storeFaults()} ("SQL"). Thread-safe, like every part.
 */
public final class InMemoryQuota {

    private final MutableClock clock;
    private final ZoneId zone;
    private final Faults cacheFaults = new Faults();
    private final Faults storeFaults = new Faults();
    private final InMemoryRpmCounter rpmCounter = new InMemoryRpmCounter(cacheFaults);
    private final InMemoryBillingCache cache;
    private final InMemoryBalanceStore balances = new InMemoryBalanceStore(storeFaults);
    private final InMemorySubscriptionStore subscriptions = new InMemorySubscriptionStore(storeFaults);
    private final InMemoryPlatformQuotaStore platformQuotas = new InMemoryPlatformQuotaStore(storeFaults);
    private final InMemoryWindowCounterStore windowCounters = new InMemoryWindowCounterStore(storeFaults);
    private final InMemoryRpmOverrideStore rpmOverrides = new InMemoryRpmOverrideStore(storeFaults);
    private final InMemoryUsageLog usageLog = new InMemoryUsageLog(storeFaults);
    private final InMemoryRollupStore rollups = new InMemoryRollupStore(storeFaults);
    private final InMemoryStatisticsStore statistics = new InMemoryStatisticsStore(storeFaults);
    private final FakeUpstreamUsageFetcher upstreamUsage = new FakeUpstreamUsageFetcher();
    private final InMemoryUsageLedger ledger;
    private final InMemoryUsageSink usageSink;

    private InMemoryQuota(MutableClock clock, ZoneId zone) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.cache = new InMemoryBillingCache(cacheFaults, rpmCounter, clock, InMemoryBillingCache.DEFAULT_DIRTY_TTL);
        this.ledger = new InMemoryUsageLedger(usageLog, balances, subscriptions, platformQuotas, windowCounters,
                rollups, storeFaults);
        this.usageSink = InMemoryUsageSink.forwardingTo(ledger, clock, zone);
    }

    /**
     * @param clock the clock every part (and the gate) reads
     * @param zone the business zone of calendar windows
     * @return fresh, empty fakes
     */
    public static InMemoryQuota create(MutableClock clock, ZoneId zone) {
        return new InMemoryQuota(clock, zone);
    }

    /**
     * @param clock the clock every part (and the gate) reads
     * @return fresh, empty fakes with UTC as the business zone
     */
    public static InMemoryQuota create(MutableClock clock) {
        return new InMemoryQuota(clock, ZoneOffset.UTC);
    }

    /**
     * A gate builder connected to every fake, the clock and the zone. Further settings (limits, failure
     * policies, platforms) can be added before {@code build()}.
     *
     * @return a new builder
     */
    public BillingGate.Builder gateBuilder() {
        return BillingGate.builder()
                .cache(cache).rpmCounter(rpmCounter)
                .balances(balances).subscriptions(subscriptions).platformQuotas(platformQuotas)
                .windowCounters(windowCounters).rpmOverrides(rpmOverrides)
                .usageSink(usageSink).outbox(cache.outbox())
                .clock(clock).zone(zone);
    }

    /** @return the shared clock */
    public MutableClock clock() {
        return clock;
    }

    /** @return the business zone */
    public ZoneId zone() {
        return zone;
    }

    /** @return the faults of the cache and RPM counter ("Redis") */
    public Faults cacheFaults() {
        return cacheFaults;
    }

    /** @return the faults of the stores, usage log and ledger ("SQL") */
    public Faults storeFaults() {
        return storeFaults;
    }

    /** @return the hot-path cache */
    public InMemoryBillingCache cache() {
        return cache;
    }

    /** @return the RPM counters (shared with the cache) */
    public InMemoryRpmCounter rpmCounter() {
        return rpmCounter;
    }

    /** @return the balance store */
    public InMemoryBalanceStore balances() {
        return balances;
    }

    /** @return the subscription store */
    public InMemorySubscriptionStore subscriptions() {
        return subscriptions;
    }

    /** @return the user × platform quota store */
    public InMemoryPlatformQuotaStore platformQuotas() {
        return platformQuotas;
    }

    /** @return the window counter store (API key windows) */
    public InMemoryWindowCounterStore windowCounters() {
        return windowCounters;
    }

    /** @return the RPM override store */
    public InMemoryRpmOverrideStore rpmOverrides() {
        return rpmOverrides;
    }

    /** @return the usage log the ledger appends to */
    public InMemoryUsageLog usageLog() {
        return usageLog;
    }

    /** @return the ledger applying recorded usage to the stores */
    public InMemoryUsageLedger ledger() {
        return ledger;
    }

    /** @return the usage sink the gate submits to; it forwards to {@link #ledger()} at the clock's time */
    public InMemoryUsageSink usageSink() {
        return usageSink;
    }

    /** @return the hourly roll-up store */
    public InMemoryRollupStore rollups() {
        return rollups;
    }

    /** @return the daily statistics store */
    public InMemoryStatisticsStore statistics() {
        return statistics;
    }

    /** @return the scripted upstream usage fetcher */
    public FakeUpstreamUsageFetcher upstreamUsage() {
        return upstreamUsage;
    }

    /**
     * @return an {@link AccountUsageService.Builder} already connected to {@link #upstreamUsage()} (the scripted
     *     provider), {@link #usageLog()}, the clock and the zone; set TTLs or the cache bound before building
     */
    public AccountUsageService.Builder accountUsageBuilder() {
        return AccountUsageService.builder().fetcher(upstreamUsage).usageLog(usageLog).clock(clock).zone(zone);
    }
}
