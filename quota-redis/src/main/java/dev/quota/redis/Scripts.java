package dev.quota.redis;

import java.util.List;

/**
 * The adapter's Lua scripts, read from the class path once per JVM. Immutable and thread-safe.
 *
 * @param check check and reserve ({@code check.lua})
 * @param apply apply usage and settle ({@code apply.lua})
 * @param put cache refill, refused for a valid or dirty entry ({@code put.lua})
 * @param evict eviction that marks the entry dirty ({@code evict.lua})
 * @param rpm requests-per-minute counter ({@code rpm.lua})
 * @param outboxAck acknowledged outbox entries deleted ({@code outbox_ack.lua})
 * @param outboxClaim stale outbox entries claimed ({@code outbox_claim.lua})
 * @param renew a live hold extended ({@code renew.lua})
 * @param library all of the above as one Redis 7 function library
 */
record Scripts(LuaScript check, LuaScript apply, LuaScript put, LuaScript evict, LuaScript rpm,
               LuaScript outboxAck, LuaScript outboxClaim, LuaScript renew, FunctionLibrary library) {

    private static final Scripts INSTANCE = load(LuaScript.load("check"), LuaScript.load("apply"),
            LuaScript.load("put"), LuaScript.load("evict"), LuaScript.load("rpm"), LuaScript.load("outbox_ack"),
            LuaScript.load("outbox_claim"), LuaScript.load("renew"));

    private static Scripts load(LuaScript check, LuaScript apply, LuaScript put, LuaScript evict, LuaScript rpm,
                                LuaScript outboxAck, LuaScript outboxClaim, LuaScript renew) {
        return new Scripts(check, apply, put, evict, rpm, outboxAck, outboxClaim, renew,
                FunctionLibrary.of(List.of(check, apply, put, evict, rpm, outboxAck, outboxClaim, renew)));
    }

    /** @return the scripts */
    static Scripts get() {
        return INSTANCE;
    }
}
