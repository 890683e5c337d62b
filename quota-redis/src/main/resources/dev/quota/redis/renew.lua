-- renew: extends a live hold (BillingCache.renew) in one atomic step. A hold that was settled, released or
-- purged after it lapsed is not in the holds hash any more and stays gone (reply 0). The hold's expiry
-- becomes max(current, new); the hash's TTL is lengthened by the extension, so it stays at least as long as
-- the hold (reserve gave it at least the hold's time to live).
--
-- Keys and arguments by name (ScriptLayouts.RenewKey, RenewArg): HOLDS the user's holds hash; HOLD_ID; EXPIRY the
-- new expiry (epoch ms, canonical)
--
-- Reply: 1 extended (or already lasting that long), 0 no such live hold

local wrong = q_first_wrong_type({ { KEYS[$HOLDS], 'hash' } })
if wrong ~= nil then
  return 0
end
local hold_id, expiry = ARGV[$HOLD_ID], ARGV[$EXPIRY]
local raw = redis.call('HGET', KEYS[$HOLDS], hold_id)
if not raw then
  return 0
end
local ok, rec = pcall(cjson.decode, raw)
if not (ok and type(rec) == 'table' and type(rec.x) == 'string' and q_int(rec.x) ~= nil) then
  return 0
end
if q_cmp(expiry, rec.x) <= 0 then
  return 1
end
local extension = tonumber(expiry) - tonumber(rec.x)
rec.x = expiry
redis.call('HSET', KEYS[$HOLDS], hold_id, cjson.encode(rec))
local pttl = redis.call('PTTL', KEYS[$HOLDS])
if pttl > 0 then
  redis.call('PEXPIRE', KEYS[$HOLDS], pttl + extension)
end
return 1
