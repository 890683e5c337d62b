-- evict: drops a cache entry (BillingCache.evict*) and marks it dirty in one atomic step, so that no refill
-- loaded before the store caught up with the change that caused the eviction lands for the dirty TTL.
--
-- Keys and arguments by name (ScriptLayouts.EntryKey, EvictArg): ENTRY the entry, DIRTY its dirty marker (the
-- entry's key .. ':dirty', same slot); DIRTY_TTL ms
--
-- Reply: 1

redis.call('DEL', KEYS[$ENTRY])
redis.call('SET', KEYS[$DIRTY], '1', 'PX', ARGV[$DIRTY_TTL])
return 1
