package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The hot-path cache (Redis in production). It holds copies of balances, subscription usage, user ×
 * platform quota entries and API key window usage; the stores remain the source of truth.
 *
 * <p>Rules every implementation follows (the contract suite checks them):
 * <ul>
 *   <li>{@link #check} is one round trip: it reads every needed entry and, only when all are present and
 *       none denies under {@link dev.quota.core.limit.EligibilityEvaluator#evaluateBilling}, increments the
 *       planned RPM counters.</li>
 *   <li>Entries of another schema version or with unparsable fields are misses, never errors.</li>
 *   <li>{@link #applyUsage} is idempotent by {@link dev.quota.core.usage.UsageKey} (user × request id: the
 *       same request id of two users is two requests) and increments only entries that exist (the
 *       service refills the others from the store); expired windows are reset inside the same atomic
 *       step; a window rollover overwrites, never deletes. A cache with a {@link UsageOutbox} appends the
 *       event to it in the same atomic step that newly sets the idempotency marker (a replay appends
 *       nothing), so the event has a second durable copy until the store commits it.</li>
 *   <li>Every operation is all-or-nothing: one that fails (a key of an unexpected type, an outage) has
 *       changed nothing.</li>
 *   <li>{@link #put} is a <em>refill</em>: it writes an entry only when no valid entry of the
 *       current schema is cached and the entry is not <em>dirty</em>. An entry becomes dirty for a configured
 *       period (seconds, longer than the usage sinks' write lag) when usage met it absent or invalid, and when
 *       it is evicted. (Within one process the gate also holds back refills of a user with unstored usage;
 *       the dirty period protects against other processes' usage.) Without this, a refill loaded from the store could overwrite an increment that raced it,
 *       or miss usage the store has not written yet, and the cache would undercount until the entry's TTL.</li>
 *   <li>Money is exact integer nano-units end to end.</li>
 *   <li>Every method reports infrastructure failures as {@link BackendUnavailableException}.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface BillingCache {

    /**
     * Reads what an eligibility check needs and counts RPM when nothing else denies, in one round trip.
     *
     * @param check the check
     * @return what was found
     * @throws BackendUnavailableException when the cache fails
     */
    CheckView check(CacheCheck check);

    /**
     * Records one request's cost in every entry it touches, once per request id: balance mode deducts the
     * balance and adds to the platform quota windows; subscription mode adds to the subscription windows;
     * both add to the API key windows; {@link dev.quota.core.BillingMode#NONE} (logged only) moves no
     * counter but is marked applied and appended to the outbox. Windows use {@code now} and {@code zone}, not
     * the event's time; an outbox entry is scored at {@code now}. A target entry that is absent or invalid is
     * not created but marked dirty.
     *
     * @param event the usage; the charged amount is {@link dev.quota.core.UsageCosts#actual() costs().actual()}
     * @param now the current instant
     * @param zone the business zone
     * @return true when applied, false when this user's request id was already applied
     * @throws BackendUnavailableException when the cache fails
     */
    boolean applyUsage(UsageEvent event, Instant now, ZoneId zone);

    /**
     * Reads what the check needs and, in the same atomic step, takes a hold when every entry is present and
     * {@link dev.quota.core.limit.EligibilityEvaluator#evaluateHold} admits it given the other live holds of
     * the user (expired holds are ignored and purged); the planned RPM counters are incremented only when the
     * hold is taken. Reserving an id that is already held changes nothing and reports it admitted.
     *
     * @param check the check
     * @param hold the hold
     * @return what was found and whether the hold was taken
     * @throws BackendUnavailableException when the cache fails
     */
    ReserveView reserve(CacheCheck check, Hold hold);

    /**
     * Settles a hold: applies the usage as {@link #applyUsage} does and drops the hold, atomically.
     * Idempotent: settling a hold twice, or after its request id was applied, applies nothing more.
     *
     * @param holdId the hold
     * @param event the actual usage (its user owns the hold)
     * @param now the current instant
     * @param zone the business zone
     * @return true when the usage was applied now
     * @throws BackendUnavailableException when the cache fails
     */
    boolean settle(String holdId, UsageEvent event, Instant now, ZoneId zone);

    /**
     * Drops a hold without usage. Idempotent.
     *
     * @param userId the user owning the hold
     * @param holdId the hold
     * @return true when a live hold was dropped
     * @throws BackendUnavailableException when the cache fails
     */
    boolean release(long userId, String holdId);

    /**
     * Extends a live hold to {@code expiresAt} (a long streaming request keeps its hold alive), in one round
     * trip. A hold that was settled, released or has lapsed stays gone: renewing it is a no-op. The port passes
     * no {@code now}, so, as for {@link #release}, a hold counts as lapsed once a later reservation or
     * settlement of the user purged it; reviving a lapsed hold no reservation has purged yet admits nothing that
     * was not admitted already (only a reservation could have used its room, and a reservation purges it). A
     * renewal to an earlier expiry keeps the later one.
     * @param userId the user owning the hold
     * @param holdId the hold
     * @param expiresAt the new expiry, after the current one
     * @return true when the hold is live (and now lasts at least until {@code expiresAt})
     * @throws BackendUnavailableException when the cache fails
     */
    default boolean renew(long userId, String holdId, Instant expiresAt) {
        throw new UnsupportedOperationException("this cache cannot renew holds");
    }

    /**
     * Refills the cache with an entry loaded from the store: writes it (with its kind's TTL) only when no valid
     * entry of the current schema is cached under {@link CacheEntry#ref()} and that entry is not dirty (see the
     * class documentation). A {@link CacheEntry.PlatformQuota} carries the effective limits (the user's own, else
     * the resolved default), never {@code null}.
     *
     * @param entry the entry
     * @return true when written, false when a valid entry is already cached or the entry is dirty
     * @throws BackendUnavailableException when the cache fails
     */
    boolean put(CacheEntry entry);

    /**
     * Drops a cached entry, e.g. a balance after a top-up in the store or a platform quota after its limits
     * changed, and marks it dirty so that no refill loaded before the store caught up lands. Evicting an absent
     * entry still marks it dirty.
     *
     * @param ref the entry
     * @throws BackendUnavailableException when the cache fails
     */
    void evict(EntryRef ref);

    /**
     * How long an entry stays <em>dirty</em> (see the class documentation): refills of it are refused this long
     * after usage met it absent or invalid, or after an eviction. The gate drops a queued refill whose store read
     * began more than half of this ago, so that a refill delayed in the cache-write queue cannot land after the
     * dirty marker that guarded it lapsed (it would write a balance or window from before usage the cache has
     * since missed). Never called on the hot path.
     *
     * @return the dirty period, positive; 10 seconds unless the implementation says otherwise
     */
    default Duration dirtyTtl() {
        return DEFAULT_DIRTY_TTL;
    }

    /** The dirty period of {@link #dirtyTtl()}'s default: 10 seconds. */
    Duration DEFAULT_DIRTY_TTL = Duration.ofSeconds(10);
}
