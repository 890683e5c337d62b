package dev.quota.redis;

import java.util.List;

/**
 * The adapter's Lua scripts, read from the class path once per JVM, each with the layouts of its keys and
 * arguments, whose slot names its placeholders take (a script and its layouts that disagree fail here, at class
 * initialisation). Immutable and thread-safe.
 *
 * @param check a reservation's check and hold ({@code check.lua}; a plain check runs no script)
 * @param apply apply usage and settle ({@code apply.lua})
 * @param put cache refill, refused for a valid or dirty entry ({@code put.lua})
 * @param evict eviction that marks the entry dirty ({@code evict.lua})
 * @param rpm requests-per-minute counter ({@code rpm.lua})
 * @param uncount a check's requests-per-minute counts taken back ({@code uncount.lua})
 * @param outboxAck acknowledged outbox entries deleted ({@code outbox_ack.lua})
 * @param outboxClaim stale outbox entries claimed ({@code outbox_claim.lua})
 * @param renew a live hold extended ({@code renew.lua})
 * @param library all of the above as one Redis 7 function library
 */
record Scripts(LuaScript check, LuaScript apply, LuaScript put, LuaScript evict, LuaScript rpm,
               LuaScript uncount, LuaScript outboxAck, LuaScript outboxClaim, LuaScript renew, FunctionLibrary library) {

    private static final Scripts INSTANCE = load(
            LuaScript.load("check", CheckArgs.KEYS, CheckArgs.ARGV, CheckArgs.HOLD_ARGV),
            LuaScript.load("apply", ApplyArgs.CONSTANTS, ApplyArgs.KEYS, ApplyArgs.ARGV),
            LuaScript.load("put", ScriptLayouts.ENTRY_KEYS, ScriptLayouts.PUT_ARGS),
            LuaScript.load("evict", ScriptLayouts.ENTRY_KEYS, ScriptLayouts.EVICT_ARGS),
            LuaScript.load("rpm", ScriptLayouts.RPM_KEYS, ScriptLayouts.RPM_ARGS),
            LuaScript.load("uncount", ScriptLayouts.UNCOUNT_KEYS),
            LuaScript.load("outbox_ack", ScriptLayouts.OUTBOX_KEYS, ScriptLayouts.OUTBOX_ACK_ARGS),
            LuaScript.load("outbox_claim", ScriptLayouts.OUTBOX_KEYS, ScriptLayouts.OUTBOX_CLAIM_ARGS),
            LuaScript.load("renew", ScriptLayouts.RENEW_KEYS, ScriptLayouts.RENEW_ARGS));

    private static Scripts load(LuaScript check, LuaScript apply, LuaScript put, LuaScript evict, LuaScript rpm,
                                LuaScript uncount, LuaScript outboxAck, LuaScript outboxClaim, LuaScript renew) {
        return new Scripts(check, apply, put, evict, rpm, uncount, outboxAck, outboxClaim, renew,
                FunctionLibrary.of(List.of(check, apply, put, evict, rpm, uncount, outboxAck, outboxClaim, renew)));
    }

    /** @return the scripts */
    static Scripts get() {
        return INSTANCE;
    }
}
