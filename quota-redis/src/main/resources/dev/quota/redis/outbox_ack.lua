-- outbox_ack: deletes acknowledged usage from one shard's outbox (UsageOutbox.acknowledge), batched: one
-- HDEL and one ZREM for every member given. Unknown members are ignored. All or nothing: both keys are
-- type-checked before the first write.
--
-- Keys and arguments by name (ScriptLayouts.OutboxKey, OutboxAckArg): PAYLOADS the shard's outbox hash, DUE its
-- sorted set; ACKED on: members <userId>:<requestId>
--
-- Reply: the number of entries deleted from the hash

local wrong = q_first_wrong_type({ { KEYS[$PAYLOADS], 'hash' }, { KEYS[$DUE], 'zset' } })
if wrong ~= nil then
  return q_wrongtype(wrong)
end
if #ARGV < $ACKED then
  return 0
end
local n = redis.call('HDEL', KEYS[$PAYLOADS], unpack(ARGV, $ACKED))
redis.call('ZREM', KEYS[$DUE], unpack(ARGV, $ACKED))
return n
