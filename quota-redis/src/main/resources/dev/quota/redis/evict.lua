-- evict: drops a cache entry (BillingCache.evict*) and marks it dirty in one atomic step, so that no refill
-- loaded before the store caught up with the change that caused the eviction lands for the dirty TTL.
--
-- KEYS[1] the entry   KEYS[2] its dirty marker (KEYS[1] .. ':dirty', same slot)
-- ARGV[1] dirty TTL ms
--
-- Reply: 1

redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 1
