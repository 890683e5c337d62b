-- uncount: takes back the requests-per-minute counts of a check (RedisBillingCache.check counts with plain
-- SET NX PX + INCR in its one round trip) whose request turned out doomed (an entry missing or unusable, a limit
-- denying) or whose other counter could not be counted. Each counter is decremented, and deleted when that
-- leaves it at 0 or below (such a counter reads the same as an absent one; a later count creates it again with
-- its TTL). A key that cannot take DECR (another type, since replaced) is left as it is.
--
-- Keys by name (ScriptLayouts.UncountKey): COUNTERS on: the counters the check counted, all in the user's slot
--
-- Reply: the number of counters taken back

local n = 0
for i = $COUNTERS, #KEYS do
  local c = redis.pcall('DECR', KEYS[i])
  if type(c) == 'number' then
    n = n + 1
    if c <= 0 then
      redis.call('DEL', KEYS[i])
    end
  end
end
return n
