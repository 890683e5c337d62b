package dev.quota.redis;

import dev.quota.core.limit.SubscriptionStatus;

/**
 * The keys and arguments of the adapter's small scripts, by name: one slot enum per script part, in order, and
 * its {@link SlotLayout}. The scripts read them as placeholders ({@code KEYS[$ENTRY]}, {@code ARGV[$TTL]}); the
 * record and reservation scripts have their own builders ({@link ApplyArgs}, {@link CheckArgs}).
 */
final class ScriptLayouts {

    /** The known subscription statuses as {@code ,A,B,}, as the scripts take them. */
    static final String STATUSES;

    static {
        StringBuilder sb = new StringBuilder(",");
        for (SubscriptionStatus s : SubscriptionStatus.values()) {
            sb.append(s.name()).append(',');
        }
        STATUSES = sb.toString();
    }

    private ScriptLayouts() {
    }

    /**
     * @param text text of letters, digits, '_' and ','
     * @return it as a Lua string literal
     * @throws IllegalArgumentException for any other character (nothing here needs escaping)
     */
    static String literal(String text) {
        if (!text.matches("[A-Za-z0-9_,]*")) {
            throw new IllegalArgumentException("not a plain literal: " + text);
        }
        return "'" + text + "'";
    }

    /** {@code put.lua} and {@code evict.lua}: the entry and its dirty marker (the entry's key + {@code ':dirty'}). */
    enum EntryKey implements ScriptSlot {
        ENTRY, DIRTY
    }

    /** {@code put.lua}: a refill. */
    enum PutArg implements ScriptSlot {
        /** the entry's TTL, ms */
        TTL,
        /** the entry kind's letter ({@code lib.lua}'s {@code q_read_entry}) */
        KIND,
        /** the kind's current schema version */
        SCHEMA_VERSION,
        /** the known subscription statuses as {@code ,A,B,} (read for kind {@code s} only) */
        STATUSES,
        /** field, value, field, value, ... */
        @Rest
        FIELDS
    }

    /** {@code evict.lua}: an eviction. */
    enum EvictArg implements ScriptSlot {
        /** the dirty marker's TTL, ms */
        DIRTY_TTL
    }

    /** {@code renew.lua}: the user's holds hash. */
    enum RenewKey implements ScriptSlot {
        HOLDS
    }

    /** {@code renew.lua}: the hold and its new expiry. */
    enum RenewArg implements ScriptSlot {
        /** the hold id */
        HOLD_ID,
        /** the new expiry, epoch ms (canonical) */
        EXPIRY
    }

    /** {@code rpm.lua}: the bucket counter. */
    enum RpmKey implements ScriptSlot {
        COUNTER
    }

    /** {@code rpm.lua}: the counter's TTL. */
    enum RpmArg implements ScriptSlot {
        /** ms */
        COUNTER_TTL
    }

    /** {@code uncount.lua}: the counters a check counted and takes back. */
    enum UncountKey implements ScriptSlot {
        /** the RPM counters, one user's */
        @Rest
        COUNTERS
    }

    /** {@code outbox_ack.lua} and {@code outbox_claim.lua}: one shard's outbox. */
    enum OutboxKey implements ScriptSlot {
        /** the hash member -> encoded event */
        PAYLOADS,
        /** the sorted set of the members by due time */
        DUE
    }

    /** {@code outbox_ack.lua}: the members acknowledged. */
    enum OutboxAckArg implements ScriptSlot {
        /** members {@code <userId>:<requestId>} */
        @Rest
        ACKED
    }

    /** {@code outbox_claim.lua}: a claim of stale members. */
    enum OutboxClaimArg implements ScriptSlot {
        /** epoch ms, exclusive: only members scored before it are claimed */
        THRESHOLD,
        /** epoch ms: the claimed members' new score */
        LEASE_END,
        /** the members to claim */
        @Rest
        CLAIMED
    }

    static final SlotLayout<EntryKey> ENTRY_KEYS = SlotLayout.keys(EntryKey.class);
    static final SlotLayout<PutArg> PUT_ARGS = SlotLayout.argv(PutArg.class);
    static final SlotLayout<EvictArg> EVICT_ARGS = SlotLayout.argv(EvictArg.class);
    static final SlotLayout<RenewKey> RENEW_KEYS = SlotLayout.keys(RenewKey.class);
    static final SlotLayout<RenewArg> RENEW_ARGS = SlotLayout.argv(RenewArg.class);
    static final SlotLayout<RpmKey> RPM_KEYS = SlotLayout.keys(RpmKey.class);
    static final SlotLayout<RpmArg> RPM_ARGS = SlotLayout.argv(RpmArg.class);
    static final SlotLayout<UncountKey> UNCOUNT_KEYS = SlotLayout.keys(UncountKey.class);
    static final SlotLayout<OutboxKey> OUTBOX_KEYS = SlotLayout.keys(OutboxKey.class);
    static final SlotLayout<OutboxAckArg> OUTBOX_ACK_ARGS = SlotLayout.argv(OutboxAckArg.class);
    static final SlotLayout<OutboxClaimArg> OUTBOX_CLAIM_ARGS = SlotLayout.argv(OutboxClaimArg.class);
}
