package dev.quota.redis;

import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.Period;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.window.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import redis.clients.jedis.args.Rawable;

/**
 * The keys and arguments of {@code apply.lua} (record and settle), built by name: the one place that knows the
 * layout the script reads. The slots are the constants of {@link Key} and {@link Argv}, in order; the script
 * names them as placeholders ({@code KEYS[$MARKER]}, {@code ARGV[$COST]}) that are replaced with their positions
 * when it is assembled ({@link SlotPlaceholders}), so neither side numbers a slot.
 *
 * <pre>
 * KEYS  MARKER the request's idempotency marker
 *       MAIN the balance entry (mode b) or the subscription entry (mode s)
 *       PLATFORM the user x platform quota entry     KEY_USAGE the API key usage entry
 *       HOLDS the user's holds hash                   SETTLED the hold id's settled marker
 *       MAIN_DIRTY, PLATFORM_DIRTY, KEY_DIRTY the dirty markers of MAIN, PLATFORM, KEY_USAGE (entry key + ':dirty')
 *       OUTBOX the shard's outbox hash                OUTBOX_DUE the shard's outbox sorted set
 *       MODEL the API key x model usage entry         MODEL_DIRTY its dirty marker
 *       (an entry the call does not touch, and SETTLED without a hold, carry the HOLDS key instead: the script
 *       does not read them, and every key of a call must lie in the user's cluster slot)
 * ARGV  MODE 'b' balance | 's' subscription | 'n' logged only (BillingMode.NONE)
 *       FLAGS 'P' platform quota touched, 'K' key usage touched, 'M' key x model usage touched (a key and a
 *         model), 'H' settle the hold HOLD_ID
 *       COST the actual cost (nanos, canonical, not negative)
 *       MARKER_TTL idempotency marker TTL ms   ENTRY_TTL balance / subscription / platform TTL ms (jittered)
 *       KEY_TTL key usage (and key x model) TTL ms
 *       PERIOD_THRESHOLDS (one per Period: daily, weekly, monthly) expiry thresholds (epoch ms) of the mode's
 *         windows (subscription or platform quota)   PERIOD_STARTS their new starts (epoch ms) when expired
 *       KEY_THRESHOLDS (one per KeyWindow: 5h, 1d, 7d) the key windows' thresholds   KEY_STARTS their new starts
 *       HOLD_ID the hold settled ('' for a record)    DIRTY_TTL dirty marker TTL ms
 *       OUTBOX_MEMBER '&lt;userId&gt;:&lt;requestId&gt;' ('' = outbox off)   EVENT the encoded event ('' = outbox off)
 *       NOW epoch ms (the outbox entry's score)
 *       TOKENS the event's tokens for the key's tokens per minute (KeyUsage.countedTokens; '0' without a key)
 *       TPM_THRESHOLD the key minute's expiry threshold   TPM_START its new start
 *       (the key x model entry's windows are the key's, KEY_THRESHOLDS and KEY_STARTS, its TTL KEY_TTL)
 *
 * Constants (fixed for the adapter's version, written into the script as literals when it is assembled):
 *       SV_BALANCE, SV_SUBSCRIPTION, SV_PLATFORM, SV_KEY, SV_MODEL the entries' schema versions
 *       STATUSES the known subscription statuses as ',A,B,'
 *
 * Reply: { applied, mainUpdated, platformUpdated, keyUpdated, modelUpdated }, 0 or 1 each
 * </pre>
 *
 * Thread-safe.
 */
final class ApplyArgs {

    /** The script's keys, in order. */
    enum Key implements ScriptSlot {
        MARKER, MAIN, PLATFORM, KEY_USAGE, HOLDS, SETTLED, MAIN_DIRTY, PLATFORM_DIRTY, KEY_DIRTY, OUTBOX, OUTBOX_DUE,
        MODEL, MODEL_DIRTY
    }

    /** The script's arguments, in order. */
    enum Argv implements ScriptSlot {
        MODE, FLAGS, COST, MARKER_TTL, ENTRY_TTL, KEY_TTL,
        PERIOD_THRESHOLDS(Period.values().length), PERIOD_STARTS(Period.values().length),
        KEY_THRESHOLDS(KeyWindow.values().length), KEY_STARTS(KeyWindow.values().length),
        HOLD_ID, DIRTY_TTL, OUTBOX_MEMBER, EVENT, NOW, TOKENS, TPM_THRESHOLD, TPM_START;

        private final int width;

        Argv() {
            this(1);
        }

        Argv(int width) {
            this.width = width;
        }

        @Override
        public int width() {
            return width;
        }
    }

    /** The keys' layout. */
    static final SlotLayout<Key> KEYS = SlotLayout.keys(Key.class);
    /** The arguments' layout. */
    static final SlotLayout<Argv> ARGV = SlotLayout.argv(Argv.class);
    /** The length of the script's reply. */
    static final int REPLY_SIZE = 5;
    /** The script's constants: the entries' schema versions and the known subscription statuses, as literals. */
    static final Map<String, String> CONSTANTS = Map.of(
            "SV_BALANCE", ScriptLayouts.literal(Integer.toString(BalanceEntry.SCHEMA_VERSION)),
            "SV_SUBSCRIPTION", ScriptLayouts.literal(Integer.toString(SubscriptionEntry.SCHEMA_VERSION)),
            "SV_PLATFORM", ScriptLayouts.literal(Integer.toString(PlatformQuotaEntry.SCHEMA_VERSION)),
            "SV_KEY", ScriptLayouts.literal(Integer.toString(KeyUsageEntry.SCHEMA_VERSION)),
            "SV_MODEL", ScriptLayouts.literal(Integer.toString(KeyModelUsageEntry.SCHEMA_VERSION)),
            "STATUSES", ScriptLayouts.literal(ScriptLayouts.STATUSES));

    private static final Arg EMPTY = Arg.of(new byte[0]);
    private static final Arg ZERO = Arg.of(Ascii.digits(0));
    private static final Arg MODE_BALANCE = Arg.of(Ascii.utf8("b"));
    private static final Arg MODE_SUBSCRIPTION = Arg.of(Ascii.utf8("s"));
    private static final Arg MODE_LOGGED = Arg.of(Ascii.utf8("n"));
    /** The flags, indexed by (platform ? 8 : 0) + (key ? 4 : 0) + (model ? 2 : 0) + (hold ? 1 : 0). */
    private static final Arg[] FLAGS = new Arg[16];
    private static final Period[] PERIODS = Period.values();
    private static final KeyWindow[] KEY_WINDOWS = KeyWindow.values();

    static {
        for (int i = 0; i < FLAGS.length; i++) {
            String f = ((i & 8) != 0 ? "P" : "") + ((i & 4) != 0 ? "K" : "") + ((i & 2) != 0 ? "M" : "")
                    + ((i & 1) != 0 ? "H" : "");
            FLAGS[i] = Arg.of(Ascii.utf8(f));
        }
    }

    /** One call's keys and arguments. */
    record Call(Rawable[] keys, Rawable[] args) {
    }

    private final RedisKeys keys;
    private final RedisQuotaOptions options;
    private final Arg markerTtl;
    private final Arg keyTtl;
    private final Arg dirtyTtl;
    private final CalendarStarts thresholds = new CalendarStarts();
    /** The digits of a fixed window's start (the key's tokens minute), which recurs for the window's length. */
    private final RecurringDigits fixedStarts = new RecurringDigits();

    ApplyArgs(RedisKeys keys, RedisQuotaOptions options) {
        this.keys = keys;
        this.options = options;
        this.markerTtl = Arg.of(Ascii.digits(options.idempotencyTtl().toMillis()));
        this.keyTtl = Arg.of(Ascii.digits(options.keyUsageTtl().toMillis()));
        this.dirtyTtl = Arg.of(Ascii.digits(options.dirtyTtl().toMillis()));
    }

    /**
     * @param holdId the hold settled, or {@code null} for a record
     * @param event the event
     * @param now the caller's now
     * @param zone the business zone
     * @return the script's keys and arguments
     */
    Call build(String holdId, UsageEvent event, Instant now, ZoneId zone) {
        long user = event.userId();
        BillingMode mode = event.billingMode();
        boolean subMode = mode == BillingMode.SUBSCRIPTION;
        boolean logged = mode == BillingMode.NONE;
        boolean platform = mode == BillingMode.BALANCE && event.platform() != null;
        boolean key = !logged && event.apiKeyId() != null;
        boolean model = key && event.model() != null;
        long group = event.groupId() == null ? 0 : event.groupId();

        int shard = keys.shard(user);
        // a slot the flags leave untouched carries the holds key: any key of the user's slot does, and it is built
        byte[] userKey = keys.userBytes(user);
        byte[] holds = RedisKeys.holdsBytes(userKey);
        byte[] mainKey = subMode ? RedisKeys.subscriptionBytes(userKey, group) : RedisKeys.balanceBytes(userKey);
        byte[] platformKey = platform ? RedisKeys.platformQuotaBytes(userKey, event.platform()) : holds;
        byte[] keyUsageKey = key ? RedisKeys.keyUsageBytes(userKey, event.apiKeyId()) : holds;
        byte[] modelKey = model ? RedisKeys.keyModelUsageBytes(userKey, event.apiKeyId(), event.model()) : holds;
        SlotLayout.Values<Key> k = KEYS.values()
                .set(Key.MARKER, RedisKeys.doneBytes(userKey, event.requestId()))
                .set(Key.MAIN, mainKey)
                .set(Key.PLATFORM, platformKey)
                .set(Key.KEY_USAGE, keyUsageKey)
                .set(Key.HOLDS, holds)
                .set(Key.SETTLED, holdId == null ? holds : RedisKeys.settledBytes(userKey, holdId))
                .set(Key.MAIN_DIRTY, RedisKeys.dirtyBytes(mainKey))
                .set(Key.PLATFORM_DIRTY, platform ? RedisKeys.dirtyBytes(platformKey) : holds)
                .set(Key.KEY_DIRTY, key ? RedisKeys.dirtyBytes(keyUsageKey) : holds)
                .set(Key.OUTBOX, keys.outboxBytes(shard))
                .set(Key.OUTBOX_DUE, keys.outboxDueBytes(shard))
                .set(Key.MODEL, modelKey)
                .set(Key.MODEL_DIRTY, model ? RedisKeys.dirtyBytes(modelKey) : holds);

        byte[] nowDigits = Ascii.digits(now.toEpochMilli());
        SlotLayout.Values<Argv> a = ARGV.values()
                .set(Argv.MODE, subMode ? MODE_SUBSCRIPTION : logged ? MODE_LOGGED : MODE_BALANCE)
                .set(Argv.FLAGS, FLAGS[(platform ? 8 : 0) + (key ? 4 : 0) + (model ? 2 : 0)
                        + (holdId != null ? 1 : 0)])
                .set(Argv.COST, Ascii.digits(event.costs().actual().nanos()))
                .set(Argv.MARKER_TTL, markerTtl)
                .set(Argv.ENTRY_TTL, Ascii.digits(options.jitteredEntryTtlMillis()))
                .set(Argv.KEY_TTL, keyTtl)
                .set(Argv.HOLD_ID, holdId == null ? EMPTY : Ascii.utf8(holdId))
                .set(Argv.DIRTY_TTL, dirtyTtl)
                .set(Argv.NOW, nowDigits)
                .set(Argv.TOKENS, key ? Ascii.digits(KeyUsage.countedTokens(event)) : ZERO);
        window(a, Argv.TPM_THRESHOLD, Argv.TPM_START, 0, QuotaWindows.TPM, now, zone, nowDigits);
        for (Period p : PERIODS) {
            Window w = subMode ? QuotaWindows.subscription(p) : QuotaWindows.platform(p);
            window(a, Argv.PERIOD_THRESHOLDS, Argv.PERIOD_STARTS, p.ordinal(), w, now, zone, nowDigits);
        }
        for (KeyWindow w : KEY_WINDOWS) {
            window(a, Argv.KEY_THRESHOLDS, Argv.KEY_STARTS, w.ordinal(), w.window(), now, zone, nowDigits);
        }
        if (options.outboxEnabled()) {
            a.set(Argv.OUTBOX_MEMBER, RedisKeys.outboxMemberBytes(user, event.requestId()));
            a.set(Argv.EVENT, UsageEventCodec.encodeUtf8(event));
        } else {
            a.set(Argv.OUTBOX_MEMBER, EMPTY);
            a.set(Argv.EVENT, EMPTY);
        }
        return new Call(k.toArray(), a.toArray());
    }

    /**
     * A window's expiry threshold and new start: the same digits when they are equal (a calendar or fixed
     * window's start is both), now's digits for a rolling window's new start, a calendar period's start encoded
     * once per period ({@link CalendarStarts}).
     */
    private void window(SlotLayout.Values<Argv> a, Argv thresholdSlot, Argv startSlot, int i, Window w, Instant now,
                        ZoneId zone, byte[] nowDigits) {
        if (w instanceof Window.Calendar) {
            // threshold and new start are both the period's start, remembered with its digits
            Object periodStart = thresholds.expiredBeforeDigits(w, now, zone);
            a.set(thresholdSlot, i, periodStart);
            a.set(startSlot, i, periodStart);
            return;
        }
        long threshold = thresholds.expiredBeforeMillis(w, now, zone);
        long start = thresholds.newStartMillis(w, now, zone);
        Object thresholdDigits = w instanceof Window.Fixed ? fixedStarts.digits(threshold) : Ascii.digits(threshold);
        a.set(thresholdSlot, i, thresholdDigits);
        a.set(startSlot, i, start == threshold ? thresholdDigits
                : start == now.toEpochMilli() ? nowDigits : Ascii.digits(start));
    }
}
