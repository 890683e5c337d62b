-- rpm: increments a requests-per-minute bucket counter, creating it with its TTL in the same step. A key
-- that cannot take INCR fails the call with QUOTA_WRONGTYPE and is left as it is (INCR refuses it unwritten).
--
-- Keys and arguments by name (ScriptLayouts.RpmKey, RpmArg): COUNTER the bucket counter; COUNTER_TTL ms
--
-- Reply: the count including this request

local n = q_incr(KEYS[$COUNTER])
if n == nil then
  return q_wrongtype(KEYS[$COUNTER])
end
q_counted(KEYS[$COUNTER], n, ARGV[$COUNTER_TTL])
return n
