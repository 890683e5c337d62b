-- outbox_claim: claims chosen stale entries of one shard's outbox (UsageOutbox.claimStale). A member is
-- claimed only while its score is still before the threshold (another drainer may have claimed it since it
-- was read); a claim re-scores it to the lease end, so other drainers skip it until then. A member whose
-- payload is gone is removed. All or nothing: both keys are type-checked before the first write.
--
-- Scores are epoch milliseconds of the Java clock (below 2^53, exact as Lua numbers; no money here).
--
-- KEYS[1] the shard's outbox hash   KEYS[2] the shard's outbox sorted set
-- ARGV[1] threshold (epoch ms, exclusive)   ARGV[2] lease end (epoch ms)   ARGV[3..] members to claim
--
-- Reply: { member, payload, score before the claim, ... } for every member claimed

local wrong = q_first_wrong_type({ { KEYS[1], 'hash' }, { KEYS[2], 'zset' } })
if wrong ~= nil then
  return q_wrongtype(wrong)
end
local before = tonumber(ARGV[1])
local out = {}
for i = 3, #ARGV do
  local member = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[2], member)
  if score and tonumber(score) < before then
    local payload = redis.call('HGET', KEYS[1], member)
    if payload then
      redis.call('ZADD', KEYS[2], 'XX', ARGV[2], member)
      out[#out + 1] = member
      out[#out + 1] = payload
      out[#out + 1] = score
    else
      redis.call('ZREM', KEYS[2], member)
    end
  end
end
return out
