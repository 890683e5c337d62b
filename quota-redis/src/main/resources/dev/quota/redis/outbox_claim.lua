-- outbox_claim: claims chosen stale entries of one shard's outbox (UsageOutbox.claimStale). A member is
-- claimed only while its score is still before the threshold (another drainer may have claimed it since it
-- was read); a claim re-scores it to the lease end, so other drainers skip it until then. A member whose
-- payload is gone is removed. All or nothing: both keys are type-checked before the first write.
--
-- Scores are epoch milliseconds of the Java clock (below 2^53, exact as Lua numbers; no money here).
--
-- Keys and arguments by name (ScriptLayouts.OutboxKey, OutboxClaimArg): PAYLOADS the shard's outbox hash, DUE its
-- sorted set; THRESHOLD epoch ms, exclusive; LEASE_END epoch ms; CLAIMED on: the members to claim
--
-- Reply: { member, payload, score before the claim, ... } for every member claimed

local wrong = q_first_wrong_type({ { KEYS[$PAYLOADS], 'hash' }, { KEYS[$DUE], 'zset' } })
if wrong ~= nil then
  return q_wrongtype(wrong)
end
local before = tonumber(ARGV[$THRESHOLD])
local out = {}
for i = $CLAIMED, #ARGV do
  local member = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[$DUE], member)
  if score and tonumber(score) < before then
    local payload = redis.call('HGET', KEYS[$PAYLOADS], member)
    if payload then
      redis.call('ZADD', KEYS[$DUE], 'XX', ARGV[$LEASE_END], member)
      out[#out + 1] = member
      out[#out + 1] = payload
      out[#out + 1] = score
    else
      redis.call('ZREM', KEYS[$DUE], member)
    end
  end
end
return out
