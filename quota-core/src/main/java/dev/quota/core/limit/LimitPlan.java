package dev.quota.core.limit;

import dev.quota.core.CheckRequest;
import dev.quota.core.DenyReason;
import dev.quota.core.KeyLimits;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.window.WindowUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The limits a check or a hold evaluates, described once: the {@link LimitLine}s that apply to a request, in
 * the check order, and the cache entries they read. Steps 3 to 5 of {@link EligibilityEvaluator}'s order:
 * <ol>
 *   <li>subscription mode: the subscription is active and not expired, then its daily / weekly / monthly usage
 *       against the group's caps; balance mode: balance &gt; 0, then (with a platform) the user × platform daily /
 *       weekly / 30-day quota, capped by the limits stored in the platform quota entry;</li>
 *   <li>with an API key that has limits: its 5 h / 1 d / 7 d spend windows, then its tokens per minute (a
 *       hold does not count against it: holds are money);</li>
 *   <li>with a model cap ({@link CheckRequest#modelCap()}): the key's 5 h / 1 d / 7 d spend windows on the
 *       request's model.</li>
 * </ol>
 * A plan depends only on the request's shape (mode, platform, key limits, model cap), so there are a handful of them, built
 * once: {@link #of} picks one, and backends may precompute per plan ({@link #id()}, {@link #all()}). The caps are
 * read from the request or the entry when a line is evaluated. Immutable and thread-safe.
 *
 * <p><b>Adding a window-type limit</b>: add its fields to the entry's codec, a line below and the plan(s) it
 * belongs to; a new entry kind also needs its {@link CacheEntryKind}, its reader in the Redis {@code lib.lua}
 * and its decoding in each cache.
 */
public final class LimitPlan {

    private static final DenyReason[] SUBSCRIPTION_REASONS = {
        DenyReason.DAILY_LIMIT_EXCEEDED, DenyReason.WEEKLY_LIMIT_EXCEEDED, DenyReason.MONTHLY_LIMIT_EXCEEDED};
    private static final DenyReason[] PLATFORM_REASONS = {
        DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED, DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED,
        DenyReason.USER_PLATFORM_MONTHLY_QUOTA_EXHAUSTED};
    private static final DenyReason[] KEY_REASONS = {
        DenyReason.API_KEY_RATE_5H_EXCEEDED, DenyReason.API_KEY_RATE_1D_EXCEEDED, DenyReason.API_KEY_RATE_7D_EXCEEDED};
    private static final DenyReason[] MODEL_REASONS = {
        DenyReason.API_KEY_MODEL_5H_EXCEEDED, DenyReason.API_KEY_MODEL_1D_EXCEEDED,
        DenyReason.API_KEY_MODEL_7D_EXCEEDED};
    private static final String[][] SUBSCRIPTION_FIELDS = {
        {SubscriptionEntry.DAILY_USAGE, SubscriptionEntry.DAILY_START},
        {SubscriptionEntry.WEEKLY_USAGE, SubscriptionEntry.WEEKLY_START},
        {SubscriptionEntry.MONTHLY_USAGE, SubscriptionEntry.MONTHLY_START}};
    private static final String[][] PLATFORM_FIELDS = {
        {PlatformQuotaEntry.DAILY_USAGE, PlatformQuotaEntry.DAILY_START, PlatformQuotaEntry.DAILY_LIMIT},
        {PlatformQuotaEntry.WEEKLY_USAGE, PlatformQuotaEntry.WEEKLY_START, PlatformQuotaEntry.WEEKLY_LIMIT},
        {PlatformQuotaEntry.MONTHLY_USAGE, PlatformQuotaEntry.MONTHLY_START, PlatformQuotaEntry.MONTHLY_LIMIT}};
    private static final String[][] KEY_FIELDS = {
        {KeyUsageEntry.USAGE_5H, KeyUsageEntry.WINDOW_5H},
        {KeyUsageEntry.USAGE_1D, KeyUsageEntry.WINDOW_1D},
        {KeyUsageEntry.USAGE_7D, KeyUsageEntry.WINDOW_7D}};

    /**
     * The plans, indexed by {@link #index}: balance mode ± platform ± key, then subscription mode ± key; then the
     * same six with a model cap.
     */
    private static final LimitPlan[] PLANS = build();

    private final int id;
    private final List<LimitLine> lines;
    private final List<CacheEntryKind> entries;
    private final Set<CacheEntryKind> entrySet;

    private LimitPlan(int id, List<LimitLine> lines) {
        this.id = id;
        this.lines = List.copyOf(lines);
        List<CacheEntryKind> kinds = new ArrayList<>();
        for (LimitLine line : lines) {
            if (!kinds.contains(line.entry())) {
                kinds.add(line.entry());
            }
        }
        this.entries = List.copyOf(kinds);
        this.entrySet = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    /**
     * @param request the request
     * @return the plan of its shape
     */
    public static LimitPlan of(CheckRequest request) {
        return PLANS[index(request)];
    }

    /** @return every plan, indexed by {@link #id()} */
    public static List<LimitPlan> all() {
        return List.of(PLANS);
    }

    /** @return this plan's index in {@link #all()} */
    public int id() {
        return id;
    }

    /** @return the lines in the check order (first denial wins) */
    public List<LimitLine> lines() {
        return lines;
    }

    /** @return the entries the lines read, in the order of their first line */
    public List<CacheEntryKind> entries() {
        return entries;
    }

    /** @return the entries the lines read, as a set */
    public Set<CacheEntryKind> entrySet() {
        return entrySet;
    }

    /**
     * @param kind an entry kind
     * @return its position in {@link #entries()}, or -1 when the plan does not read it
     */
    public int entryIndex(CacheEntryKind kind) {
        return entries.indexOf(kind);
    }

    private static int index(CheckRequest r) {
        boolean key = r.apiKeyId() != null && (!r.keyLimits().isUnlimited() || !r.keyTokensPerMinute().isUnlimited());
        int model = r.model() != null && !r.modelCap().isUnlimited() ? 6 : 0;
        if (r.subscriptionMode()) {
            return model + 4 + (key ? 1 : 0);
        }
        return model + (r.platform() != null ? 2 : 0) + (key ? 1 : 0);
    }

    private static LimitPlan[] build() {
        LimitPlan[] plans = new LimitPlan[12];
        for (int i = 0; i < plans.length; i++) {
            boolean model = i >= 6;
            int shape = i % 6;
            boolean sub = shape >= 4;
            boolean platform = !sub && (shape & 2) != 0;
            boolean key = (shape & 1) != 0;
            List<LimitLine> lines = new ArrayList<>();
            if (sub) {
                lines.add(LimitLine.subscriptionActive());
                for (Period p : Period.values()) {
                    lines.add(subscriptionWindow(p));
                }
            } else {
                lines.add(LimitLine.balance());
                if (platform) {
                    for (Period p : Period.values()) {
                        lines.add(platformWindow(p));
                    }
                }
            }
            if (key) {
                for (KeyWindow w : KeyWindow.values()) {
                    lines.add(keyWindow(w));
                }
                lines.add(LimitLine.window(CacheEntryKind.KEY_USAGE, KeyUsageEntry.TPM_USED, KeyUsageEntry.TPM_START,
                        QuotaWindows.TPM, CheckRequest::keyTokensPerMinute, DenyReason.API_KEY_TPM_EXCEEDED, null,
                        Measure.TOKENS, orEmpty(BillingState::keyUsage, KeyUsage::tokensMinute)));
            }
            if (model) {
                for (KeyWindow w : KeyWindow.values()) {
                    lines.add(modelWindow(w));
                }
            }
            plans[i] = new LimitPlan(i, lines);
        }
        return plans;
    }

    private static LimitLine subscriptionWindow(Period p) {
        String[] f = SUBSCRIPTION_FIELDS[p.ordinal()];
        return LimitLine.window(CacheEntryKind.SUBSCRIPTION, f[0], f[1], QuotaWindows.subscription(p),
                r -> r.groupLimits().of(p), SUBSCRIPTION_REASONS[p.ordinal()], HoldScope.SUBSCRIPTION, Measure.COST,
                s -> s.subscription().usage(p));
    }

    private static LimitLine platformWindow(Period p) {
        String[] f = PLATFORM_FIELDS[p.ordinal()];
        return LimitLine.windowCappedByEntry(CacheEntryKind.PLATFORM_QUOTA, f[0], f[1], QuotaWindows.platform(p), f[2],
                s -> s.platformLimits() == null ? dev.quota.core.Limit.unlimited() : s.platformLimits().of(p),
                PLATFORM_REASONS[p.ordinal()], HoldScope.PLATFORM,
                orEmpty(BillingState::platformQuota, q -> q.usage(p)));
    }

    private static LimitLine keyWindow(KeyWindow w) {
        String[] f = KEY_FIELDS[w.ordinal()];
        return LimitLine.window(CacheEntryKind.KEY_USAGE, f[0], f[1], w.window(), r -> keyLimits(r).of(w),
                KEY_REASONS[w.ordinal()], HoldScope.KEY, Measure.COST, orEmpty(BillingState::keyUsage, u -> u.usage(w)));
    }

    private static LimitLine modelWindow(KeyWindow w) {
        String[] f = KEY_FIELDS[w.ordinal()]; // the key × model entry has the key entry's window fields
        return LimitLine.window(CacheEntryKind.KEY_MODEL_USAGE, f[0], f[1], w.window(), r -> r.modelCap().of(w),
                MODEL_REASONS[w.ordinal()], HoldScope.MODEL, Measure.COST,
                orEmpty(BillingState::keyModelUsage, u -> u.usage(w)));
    }

    private static KeyLimits keyLimits(CheckRequest r) {
        return r.keyLimits();
    }

    /** The usage of an entry that may not exist yet: {@link WindowUsage#EMPTY} when the state has none. */
    private static <E> Function<BillingState, WindowUsage> orEmpty(Function<BillingState, E> entry,
                                                                   Function<E, WindowUsage> window) {
        return s -> {
            E e = entry.apply(s);
            return e == null ? WindowUsage.EMPTY : Objects.requireNonNull(window.apply(e));
        };
    }

    @Override
    public String toString() {
        return "LimitPlan" + id + lines;
    }
}
