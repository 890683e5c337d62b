-- outbox_ack: deletes acknowledged usage from one shard's outbox (UsageOutbox.acknowledge), batched: one
-- HDEL and one ZREM for every member given. Unknown members are ignored. All or nothing: both keys are
-- type-checked before the first write.
--
-- KEYS[1] the shard's outbox hash   KEYS[2] the shard's outbox sorted set
-- ARGV[1..] members <userId>:<requestId>
--
-- Reply: the number of entries deleted from the hash

local wrong = q_first_wrong_type({ { KEYS[1], 'hash' }, { KEYS[2], 'zset' } })
if wrong ~= nil then
  return q_wrongtype(wrong)
end
if #ARGV == 0 then
  return 0
end
local n = redis.call('HDEL', KEYS[1], unpack(ARGV))
redis.call('ZREM', KEYS[2], unpack(ARGV))
return n
