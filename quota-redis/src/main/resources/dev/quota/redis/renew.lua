-- renew: extends a live hold (BillingCache.renew) in one atomic step. A hold that was settled, released or
-- purged after it lapsed is not in the holds hash any more and stays gone (reply 0). The hold's expiry
-- becomes max(current, new); the hash's TTL is lengthened by the extension, so it stays at least as long as
-- the hold (reserve gave it at least the hold's time to live).
--
-- KEYS[1] the user's holds hash
-- ARGV[1] hold id   ARGV[2] new expiry (epoch ms, canonical)
--
-- Reply: 1 extended (or already lasting that long), 0 no such live hold

local wrong = q_first_wrong_type({ { KEYS[1], 'hash' } })
if wrong ~= nil then
  return 0
end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return 0
end
local ok, rec = pcall(cjson.decode, raw)
if not (ok and type(rec) == 'table' and type(rec.x) == 'string' and q_int(rec.x) ~= nil) then
  return 0
end
if q_cmp(ARGV[2], rec.x) <= 0 then
  return 1
end
local extension = tonumber(ARGV[2]) - tonumber(rec.x)
rec.x = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(rec))
local pttl = redis.call('PTTL', KEYS[1])
if pttl > 0 then
  redis.call('PEXPIRE', KEYS[1], pttl + extension)
end
return 1
