-- rpm: increments a requests-per-minute bucket counter, creating it with its TTL in the same step. A key
-- that cannot take INCR fails the call with QUOTA_WRONGTYPE and is left as it is.
--
-- KEYS[1] the bucket counter
-- ARGV[1] TTL ms
--
-- Reply: the count including this request

if q_first_bad_counter({ KEYS[1] }) ~= nil then
  return q_wrongtype(KEYS[1])
end
return q_count(KEYS[1], ARGV[1])
