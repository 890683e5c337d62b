package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Limit;
import dev.quota.core.Money;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One line of a {@link LimitPlan}: one rule a check or a hold evaluates, described once for every backend.
 * A line names the cache entry it reads ({@link #entry()}), for a window line the entry's used-amount and
 * window-start fields and the {@link Window} (so a backend computes the "expired before" threshold from
 * {@code now}), where its cap comes from (the request, or a field of the entry as for platform quotas), the
 * {@link DenyReason} and the {@link HoldScope} whose other live holds a reservation adds. The Java evaluator
 * reads the same entry through the line's typed accessors ({@link #usage}, {@link #cap}); the Redis adapter
 * sends the field names, and a test holds the two equal through the entry codecs.
 *
 * <p>Three kinds: {@link Kind#BALANCE} (balance &gt; 0; for a hold, balance covers the other holds and the
 * estimate), {@link Kind#SUBSCRIPTION_ACTIVE} (active and not expired) and {@link Kind#WINDOW} (usage in a live
 * window below the cap; for a hold, usage + other holds + estimate within the cap). Immutable and thread-safe.
 */
public final class LimitLine {

    /** What a line checks. */
    public enum Kind {
        /** Balance &gt; 0; a hold also needs {@code balance - held - estimate >= 0}. */
        BALANCE,
        /** The subscription is active and not expired ({@link SubscriptionState#isValidAt}). */
        SUBSCRIPTION_ACTIVE,
        /** Usage of one window of an entry against a cap. */
        WINDOW
    }

    private final Kind kind;
    private final CacheEntryKind entry;
    private final String usedField;
    private final String startField;
    private final Window window;
    private final String capField;
    private final DenyReason reason;
    private final HoldScope holdScope;
    private final Measure measure;
    private final Function<BillingState, WindowUsage> usage;
    private final Function<CheckRequest, Limit> requestCap;
    private final Function<BillingState, Limit> entryCap;

    private LimitLine(Kind kind, CacheEntryKind entry, String usedField, String startField, Window window,
                      String capField, DenyReason reason, HoldScope holdScope, Measure measure,
                      Function<BillingState, WindowUsage> usage, Function<CheckRequest, Limit> requestCap,
                      Function<BillingState, Limit> entryCap) {
        this.kind = kind;
        this.entry = Objects.requireNonNull(entry, "entry");
        this.usedField = usedField;
        this.startField = startField;
        this.window = window;
        this.capField = capField;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.holdScope = holdScope;
        this.measure = measure;
        this.usage = usage;
        this.requestCap = requestCap;
        this.entryCap = entryCap;
    }

    static LimitLine balance() {
        return new LimitLine(Kind.BALANCE, CacheEntryKind.BALANCE, BalanceEntry.BALANCE, null, null, null,
                DenyReason.INSUFFICIENT_BALANCE, HoldScope.BALANCE, Measure.COST, null, null, null);
    }

    static LimitLine subscriptionActive() {
        return new LimitLine(Kind.SUBSCRIPTION_ACTIVE, CacheEntryKind.SUBSCRIPTION, SubscriptionEntry.STATUS,
                SubscriptionEntry.EXPIRES_AT, null, null,
                DenyReason.SUBSCRIPTION_INVALID, null, null, null, null, null);
    }

    /** A window line whose cap the request carries. */
    static LimitLine window(CacheEntryKind entry, String usedField, String startField, Window window,
                            Function<CheckRequest, Limit> cap, DenyReason reason, HoldScope scope, Measure measure,
                            Function<BillingState, WindowUsage> usage) {
        return new LimitLine(Kind.WINDOW, entry, Objects.requireNonNull(usedField), Objects.requireNonNull(startField),
                Objects.requireNonNull(window), null, reason, scope, Objects.requireNonNull(measure),
                Objects.requireNonNull(usage), Objects.requireNonNull(cap), null);
    }

    /** A window line whose cap is a field of its entry ({@code capField}), read in Java from the state. */
    static LimitLine windowCappedByEntry(CacheEntryKind entry, String usedField, String startField, Window window,
                                        String capField, Function<BillingState, Limit> cap, DenyReason reason,
                                        HoldScope scope, Function<BillingState, WindowUsage> usage) {
        return new LimitLine(Kind.WINDOW, entry, Objects.requireNonNull(usedField), Objects.requireNonNull(startField),
                Objects.requireNonNull(window), Objects.requireNonNull(capField), reason, scope, Measure.COST,
                Objects.requireNonNull(usage), null, Objects.requireNonNull(cap));
    }

    /** @return what the line checks */
    public Kind kind() {
        return kind;
    }

    /** @return the cache entry the line reads */
    public CacheEntryKind entry() {
        return entry;
    }

    /** @return the entry's used-amount field (window lines), else {@code null} */
    public String usedField() {
        return kind == Kind.WINDOW ? usedField : null;
    }

    /** @return the entry's window-start field (window lines), else {@code null} */
    public String startField() {
        return kind == Kind.WINDOW ? startField : null;
    }

    /**
     * The entry fields the line reads, in this order: a window line's used amount, window start and (when the
     * entry holds the cap) cap field; the balance line's balance; the subscription line's status and expiry.
     *
     * @return the field names
     */
    public List<String> fields() {
        return switch (kind) {
            case BALANCE -> List.of(usedField);
            case SUBSCRIPTION_ACTIVE -> List.of(usedField, startField);
            case WINDOW -> capField == null ? List.of(usedField, startField) : List.of(usedField, startField, capField);
        };
    }

    /** @return the window (window lines), else {@code null} */
    public Window window() {
        return window;
    }

    /** @return the entry field holding the cap, or {@code null} when the request carries the cap */
    public String capField() {
        return capField;
    }

    /** @return true for a window line whose cap the request carries ({@link #requestCap}) */
    public boolean cappedByRequest() {
        return requestCap != null;
    }

    /** @return the reason of a denial by this line */
    public DenyReason reason() {
        return reason;
    }

    /** @return the scope whose other live holds a reservation adds to the usage, or {@code null} for none */
    public HoldScope holdScope() {
        return holdScope;
    }

    /** @return what the window counts (window lines), else {@code null} for the subscription line */
    public Measure measure() {
        return measure;
    }

    /**
     * @param request the request
     * @return the cap the request carries for this line
     * @throws IllegalStateException when the line's cap is a field of its entry
     */
    public Limit requestCap(CheckRequest request) {
        if (requestCap == null) {
            throw new IllegalStateException("the cap of this line is the entry field " + capField);
        }
        return requestCap.apply(request);
    }

    /**
     * @param request the request
     * @param state the loaded state
     * @return the cap that applies (window lines)
     */
    public Limit cap(CheckRequest request, BillingState state) {
        return requestCap != null ? requestCap.apply(request) : entryCap.apply(state);
    }

    /**
     * @param state the loaded state
     * @return the window's recorded usage (window lines), {@link WindowUsage#EMPTY} when the entry has none yet
     */
    public WindowUsage usage(BillingState state) {
        return usage.apply(state);
    }

    /**
     * Evaluates this line: a check when {@code held} is null (usage against the cap), a hold otherwise (usage
     * plus the other live holds of {@link #holdScope()} plus {@code estimate} within the cap).
     *
     * @return the denial, or {@code null} when the line passes
     */
    Decision evaluate(CheckRequest request, BillingState state, Holds held, long estimate, Instant now, ZoneId zone) {
        switch (kind) {
            case BALANCE -> {
                Money balance = state.balance();
                boolean ok = balance != null && (held == null ? balance.signum() > 0
                        : fitsBalance(balance.nanos(), held.of(HoldScope.BALANCE), estimate));
                return ok ? null : Decision.deny(reason);
            }
            case SUBSCRIPTION_ACTIVE -> {
                SubscriptionState sub = state.subscription();
                return sub != null && sub.isValidAt(now) ? null : Decision.deny(reason);
            }
            default -> {
                Limit limit = cap(request, state);
                if (limit.isUnlimited()) {
                    return null;
                }
                WindowUsage recorded = usage(state);
                long used = recorded.effective(window, now, zone);
                boolean denies;
                if (held == null || holdScope == null) {
                    denies = limit.deniesSpend(used);
                } else {
                    used = saturatedAdd(used, held.of(holdScope));
                    denies = limit.deniesHold(used, estimate);
                }
                return denies ? Decision.deny(reason, now, window.nextReset(recorded.start(), now, zone), measure, used,
                        limit.cap()) : null;
            }
        }
    }

    private static boolean fitsBalance(long balance, long held, long estimate) {
        try {
            long left = Math.subtractExact(Math.subtractExact(balance, held), estimate);
            return left >= 0 && balance > 0;
        } catch (ArithmeticException overflow) {
            return false;
        }
    }

    private static long saturatedAdd(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.WINDOW ? "LimitLine{" + entry + "." + usedField + " vs "
                + (capField == null ? "request cap" : entry + "." + capField) + " -> " + reason + '}'
                : "LimitLine{" + kind + " -> " + reason + '}';
    }
}
