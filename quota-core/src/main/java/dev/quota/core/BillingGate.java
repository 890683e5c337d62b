package dev.quota.core;

import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.UsageSink;

/**
 * The per-request service a gateway calls: {@link #check} before forwarding a request, {@link #record}
 * after it completed, or {@link #reserve} / {@link #settle} / {@link #release} for spending that must
 * never exceed a limit under concurrency.
 *
 * <p>It works through the ports only, so it runs the same on the in-memory testkit, on Redis + SQL, or on
 * any mix. Reads are cache-first with a store fallback: concurrent misses of one key collapse into one
 * store load that runs under its own timeout, detached from the callers; the cache is refilled
 * asynchronously through a bounded write pool. No entry of a user is refilled while usage this gate recorded
 * for that user is not yet settled by the usage sink ({@link dev.quota.core.spi.UsageSink.Progress}), so a
 * refill never lacks usage the cache did not count; a store read that overlapped a commit of that user's usage is
 * read again (at most three times within the load timeout) so that committed usage is not counted twice.
 * Expected outcomes are {@link Decision} values; only misuse (bad arguments) throws.
 *
 * <p>Instances are thread-safe; build one per process with {@link #builder()} and {@link #close()} it on
 * shutdown.
 *
 * <pre>{@code
 * BillingGate gate = BillingGate.builder()
 *     .cache(redis.billingCache()).rpmCounter(redis.rpmCounter())
 *     .balances(sql.balances()).subscriptions(sql.subscriptions())
 *     .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
 *     .rpmOverrides(sql.rpmOverrides()).usageSink(writer)
 *     .zone(ZoneId.of("Asia/Shanghai"))
 *     .build();
 * Decision d = gate.check(CheckRequest.builder(userId).platform("anthropic").build());
 * if (d.denied()) return respond(d.httpStatus(), d.reason().code(), d.retryAfterSeconds());
 * }</pre>
 */
public interface BillingGate extends AutoCloseable {

    /** @return a builder with the production gateways' defaults */
    static Builder builder() {
        return new Builder();
    }

    /**
     * May this request go ahead? Runs the checks in the order of {@link dev.quota.core.limit.EligibilityEvaluator};
     * the requests-per-minute counters are incremented only when every other check passed.
     *
     * @param request the request
     * @return the decision, never null
     * @throws IllegalArgumentException if {@code request} is null or names a platform that is not configured
     */
    Decision check(CheckRequest request);

    /**
     * Records what a request cost, exactly once per {@link dev.quota.core.usage.UsageKey} (user, request id), and
     * all or nothing: it takes full effect or throws and changes nothing.
     *
     * <p>Steps: validate the event; reserve a place in the usage sink ({@link UsageSink#reserve()}: a full sink
     * throws here, before anything changed); apply the usage to every cached counter it touches in one atomic
     * cache step, which also appends the event to the cache's outbox; hand it to the sink (asynchronous, never
     * fails). When the cache cannot take the event, it is stored synchronously instead (group commit: the call
     * returns after the store committed), so that it is never held in one place only; when the store cannot take
     * it either, the call throws {@link dev.quota.core.BackendUnavailableException} and nothing is
     * charged anywhere (the sink never stores it later).
     *
     * <h4>Guarantees and their windows</h4>
     * <ul>
     *   <li><b>Durable hand-off.</b> Once {@code record} returns, the event is committed in the store, or held in
     *       two places until the store commits it: the sink's buffer (process memory) and the cache's outbox. A
     *       SIGKILL of the gateway loses the first copy; the drainer of any gateway instance stores the second
     *       one after {@link Builder#drainIdle} (default 60 s) plus at most {@link Builder#drainInterval}. An
     *       empty restart of the cache loses the second; the sink stores the first. Losing both before the store
     *       commits (the process and the cache's memory at once) loses the event: that window is the sink's lag
     *       (for a {@link dev.quota.core.BatchingUsageWriter}, its linger time plus one write).</li>
     *   <li><b>Exactly once; the store is the judge.</b> The store is idempotent by key. A replay the cache no
     *       longer recognises (after a restart, a refill or an eviction) is counted by the cache, refused by the
     *       store as a duplicate, and then every cache entry it touched is evicted: once the sink has drained,
     *       each cached counter equals the store or is absent. Window: from the cache step until the sink
     *       settles the replay, the cache overcounts it (a false denial, never an overspend).</li>
     *   <li><b>Poison isolation.</b> An event the store refuses as data is moved to the dead letters, reported
     *       through {@link QuotaListener#onUsageRejected}, counted in {@link GateMetrics#rejectedUsage()}, and its
     *       cached charge is evicted; it never holds up another event.</li>
     *   <li><b>Coherence after an outage.</b> Cache entries that could not take usage (and could not be evicted
     *       either) are owed an eviction, paid before this gate next uses the cache (and retried every second in
     *       the background), so none answers from its old value here. Other gateway instances may read such an
     *       entry until this one pays, at most the retry interval after the cache is back.</li>
     *   <li><b>Simple mode</b> logs the event as {@link dev.quota.core.BillingMode#NONE}: ledger, roll-ups
     *       and statistics, no counter moves.</li>
     * </ul>
     * With {@link Builder#asyncUsageWrites asyncUsageWrites(true)} the cache step runs in the write pool: a cache
     * failure is then not turned into a synchronous store (the entries are evicted, the sink still stores the
     * event, but its outbox copy may be missing).
     *
     * @param event the usage
     * @throws IllegalArgumentException if {@code event} is null, its charge exceeds the configured maximum or
     *         its platform is not configured; nothing changes then
     * @throws dev.quota.core.BackendUnavailableException when neither the sink (full) nor, with the cache
     *         down, the store could take the event; nothing changes then
     * @throws IllegalStateException after {@link #close()}
     */
    void record(dev.quota.core.UsageEvent event);

    /**
     * Checks and holds an estimated cost atomically against every applicable limit
     * ({@code used + held + estimate <= cap}, and {@code balance - held - estimate >= 0}), so that concurrent
     * requests never spend beyond a limit. The hold lapses on its own after the configured hold time unless
     * {@link #renew renewed}.
     *
     * <p>Never "allowed, not held": when the cache cannot take the hold (it is down, or the user's entries are
     * dirty and cannot be refilled yet), the gate holds the estimate locally, in this process
     * ({@link Reservation#local()}), after evaluating the same hold rules against the stores' values plus the
     * usage this gate recorded that the stores lack, the holds the cache reported and this gate's other live
     * local holds; when that does not fit it denies. Bound: a local hold is invisible to other gateway
     * instances, so across N instances reserving for one user while the cache cannot hold, up to N local
     * admissions may share the same room (each instance alone never admits beyond a cap). While a user has
     * local holds, this gate refills none of that user's cache entries.
     *
     * @param request the request
     * @param estimate the estimated cost, not negative, at most the configured maximum charge
     * @return the reservation
     * @throws IllegalArgumentException on a null request or estimate, a negative or absurd estimate
     * @throws IllegalStateException when the gate has no cache (holds live in the cache)
     */
    Reservation reserve(CheckRequest request, Money estimate);

    /**
     * Keeps a long request's hold alive: extends it to the configured hold time from now, in one cache round
     * trip (or locally for a {@link Reservation#local() local} hold). A hold renewed before it lapses never
     * lapses while it keeps being renewed. Renewing a reservation that holds nothing, or whose hold was settled,
     * released or has lapsed, changes nothing.
     *
     * @param reservation the reservation
     * @return the reservation with its new expiry; {@code reservation} itself when it holds nothing (or was
     *     renewed within the same millisecond); a copy that is not {@link Reservation#held() held} when the hold
     *     is gone (settled, released or lapsed)
     * @throws IllegalArgumentException if {@code reservation} is null
     * @throws dev.quota.core.BackendUnavailableException when the cache cannot be reached (the hold
     *     keeps its previous expiry)
     * @throws IllegalStateException after {@link #close()}
     */
    Reservation renew(Reservation reservation);

    /**
     * Converts a hold into recorded usage (the actual cost of {@code event}) and drops it. Idempotent by
     * hold id and by the event's key. All or nothing with the same steps and guarantees as {@link #record}.
     *
     * @param reservation the reservation
     * @param event the actual usage; its user must own the reservation
     * @throws IllegalArgumentException on null arguments, a denied reservation or a user mismatch
     * @throws dev.quota.core.BackendUnavailableException as {@link #record} does; nothing changes then
     */
    void settle(Reservation reservation, dev.quota.core.UsageEvent event);

    /**
     * Drops a hold without usage. Idempotent.
     *
     * @param reservation the reservation
     * @throws IllegalArgumentException if {@code reservation} is null
     */
    void release(Reservation reservation);

    /**
     * Replaces the user × platform quota defaults as a whole: stores them with
     * {@link PlatformQuotaStore#replaceDefaults} (when a platform quota store is configured) and applies them in
     * this gate at once; other gates apply them within their {@link Builder#platformDefaultsRefresh refresh
     * interval}. Cached entries keep the limits they were built with until they expire (the cache TTL) or are
     * evicted.
     *
     * @param defaults the new defaults
     * @throws IllegalArgumentException if {@code defaults} is null
     * @throws dev.quota.core.BackendUnavailableException when the store fails; nothing changed then
     */
    void replacePlatformQuotaDefaults(PlatformQuotaDefaults defaults);

    /**
     * Balance, subscription and limit changes that keep the cache coherent: a top-up made through it is seen by
     * the very next check. See {@link BillingAdmin}.
     *
     * @return this gate's admin operations (the same instance on every call)
     */
    BillingAdmin admin();

    /** @return counters of the gate's background work, for monitoring and tests */
    GateMetrics metrics();

    /**
     * Probes the gate's health for a readiness or liveness probe: pings the cache and the balance and subscription
     * stores (ports that implement {@link dev.quota.core.spi.Pingable}; in parallel, each bounded by the
     * {@link Builder#loadTimeout load timeout}) and reports them with the breaker state and the usage pipeline's
     * lag and dead letters. The overall status follows the rules in {@link Health}. The gate also pings once when
     * it is built and logs a WARN for a backend that does not answer. Thread-safe; costs one round trip per
     * backend, so call it from a probe, not per request.
     *
     * @return the health now
     * @throws IllegalStateException after {@link #close()}
     */
    Health health();

    /**
     * Waits until every queued cache write has run, the usage sink is flushed, the outbox entries of settled
     * usage are acknowledged (as far as the cache answers), and a background reload of the platform quota
     * defaults, when one is running, has finished.
     */
    void flush();

    /**
     * Stops the outbox drainer, drains pending cache writes, flushes and closes the usage sink and acknowledges
     * what it settled. Idempotent.
     */
    @Override
    void close();

    /**
     * Counters of the gate's background work.
     *
     * @param droppedCacheWrites refills dropped because the write queue was full
     * @param synchronousCacheWrites critical writes run on the caller's thread because the queue was full
     * @param failedCacheWrites cache writes that failed
     * @param timedOutCacheWrites cache writes interrupted for overrunning the per-task timeout
     * @param breakerState the billing circuit breaker's state
     * @param rejectedUsage recorded events the store refused as data (moved to its dead letters)
     * @param synchronousStores records stored synchronously because the cache could not take them
     * @param acknowledgedUsage outbox entries acknowledged after the store settled their events
     * @param drainedUsage outbox entries of other (dead) instances this gate's drainer stored
     * @param owedEvictions cache entries that missed usage during an outage and are not evicted yet
     */
    record GateMetrics(long droppedCacheWrites, long synchronousCacheWrites, long failedCacheWrites,
                       long timedOutCacheWrites, QuotaListener.BreakerState breakerState, long rejectedUsage,
                       long synchronousStores, long acknowledgedUsage, long drainedUsage, long owedEvictions) {
    }

    /**
     * The builder {@link #builder()} returns; its setters and {@link BillingGateBuilder#build() build()} are
     * documented on {@link BillingGateBuilder}. Not thread-safe.
     */
    final class Builder extends BillingGateBuilder<Builder> {
        Builder() {
        }
    }
}
