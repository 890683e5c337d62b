-- rpm: increments a requests-per-minute bucket counter, creating it with its TTL in the same step. A key
-- that cannot take INCR fails the call with QUOTA_WRONGTYPE and is left as it is (INCR refuses it unwritten).
--
-- KEYS[1] the bucket counter
-- ARGV[1] TTL ms
--
-- Reply: the count including this request

local n = q_incr(KEYS[1])
if n == nil then
  return q_wrongtype(KEYS[1])
end
q_counted(KEYS[1], n, ARGV[1])
return n
