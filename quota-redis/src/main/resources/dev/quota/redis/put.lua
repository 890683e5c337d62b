-- put: a refill after a miss (BillingCache.put*). Writes the entry (a hash) and gives it its TTL in one
-- atomic step, but only when
--   * the entry's dirty marker is absent: usage met the entry absent or invalid, or the entry was evicted,
--     less than the dirty TTL ago, so a value loaded from the store may lack usage that is still on its way
--     to the store (or raced this refill); and
--   * no valid entry of the current schema version is cached: a valid entry carries increments the store
--     may not have yet, so it is never overwritten. An absent entry, one of another schema version, one
--     with an unparsable field, or a key of another Redis type is replaced (DEL, then HSET).
--
-- Keys and arguments by name (ScriptLayouts.EntryKey, PutArg): ENTRY the entry, DIRTY its dirty marker (the entry's
-- key .. ':dirty', same slot); TTL ms; KIND 'b' balance | 's' subscription | 'p' platform quota | 'k' key usage |
-- 'm' key x model usage; SCHEMA_VERSION the kind's current one; STATUSES the known subscription statuses as
-- ',A,B,' (read for kind 's' only); FIELDS on: field, value, field, value, ...
--
-- Reply: 1 written, 0 left alone (dirty, or a valid entry is cached)

if redis.call('EXISTS', KEYS[$DIRTY]) == 1 then
  return 0
end

local kind = ARGV[$KIND]
local sv = ARGV[$SCHEMA_VERSION]
local h, flat, foreign = q_hash(KEYS[$ENTRY])
local valid
if kind == 'b' then
  valid = q_balance_ok(h, sv)
elseif kind == 's' then
  valid = q_subscription_ok(h, sv, ARGV[$STATUSES])
elseif kind == 'p' then
  valid = q_platform_ok(h, sv)
elseif kind == 'k' then
  valid = q_key_ok(h, sv)
elseif kind == 'm' then
  valid = q_key_model_ok(h, sv)
else
  return redis.error_reply('ERR unknown entry kind ' .. tostring(kind))
end
if valid then
  return 0
end

if foreign or #flat > 0 then
  redis.call('DEL', KEYS[$ENTRY])
end
redis.call('HSET', KEYS[$ENTRY], unpack(ARGV, $FIELDS))
redis.call('PEXPIRE', KEYS[$ENTRY], ARGV[$TTL])
return 1
