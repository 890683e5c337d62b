package dev.quota.redis;

/**
 * The adapter's Lua scripts, read from the class path once per JVM. Immutable and thread-safe.
 *
 * @param check check and reserve ({@code check.lua})
 * @param apply apply usage and settle ({@code apply.lua})
 * @param put cache refill, refused for a valid or dirty entry ({@code put.lua})
 * @param evict eviction that marks the entry dirty ({@code evict.lua})
 * @param rpm requests-per-minute counter ({@code rpm.lua})
 */
record Scripts(LuaScript check, LuaScript apply, LuaScript put, LuaScript evict, LuaScript rpm) {

    private static final Scripts INSTANCE = new Scripts(LuaScript.load("check"), LuaScript.load("apply"),
            LuaScript.load("put"), LuaScript.load("evict"), LuaScript.load("rpm"));

    /** @return the scripts */
    static Scripts get() {
        return INSTANCE;
    }
}
