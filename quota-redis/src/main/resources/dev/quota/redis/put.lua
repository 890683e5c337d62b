-- put: a refill after a miss (BillingCache.put*). Writes the entry (a hash) and gives it its TTL in one
-- atomic step, but only when
--   * the entry's dirty marker is absent: usage met the entry absent or invalid, or the entry was evicted,
--     less than the dirty TTL ago, so a value loaded from the store may lack usage that is still on its way
--     to the store (or raced this refill); and
--   * no valid entry of the current schema version is cached: a valid entry carries increments the store
--     may not have yet, so it is never overwritten. An absent entry, one of another schema version, one
--     with an unparsable field, or a key of another Redis type is replaced (DEL, then HSET).
--
-- KEYS[1] the entry   KEYS[2] its dirty marker (KEYS[1] .. ':dirty', same slot)
-- ARGV[1] TTL ms
-- ARGV[2] kind: 'b' balance | 's' subscription | 'p' platform quota | 'k' key usage
-- ARGV[3] the kind's current schema version
-- ARGV[4] known subscription statuses as ',A,B,' (read for kind 's' only)
-- ARGV[5..] field, value, field, value, ...
--
-- Reply: 1 written, 0 left alone (dirty, or a valid entry is cached)

if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end

local kind = ARGV[2]
local h, flat, foreign = q_hash(KEYS[1])
local valid
if kind == 'b' then
  valid = q_balance_ok(h, ARGV[3])
elseif kind == 's' then
  valid = q_subscription_ok(h, ARGV[3], ARGV[4])
elseif kind == 'p' then
  valid = q_platform_ok(h, ARGV[3])
elseif kind == 'k' then
  valid = q_key_ok(h, ARGV[3])
elseif kind == 'm' then
  valid = q_key_model_ok(h, ARGV[3])
else
  return redis.error_reply('ERR unknown entry kind ' .. tostring(kind))
end
if valid then
  return 0
end

if foreign or #flat > 0 then
  redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
