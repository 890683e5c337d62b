-- apply / settle: records one request's cost exactly once (BillingCache.applyUsage), or settles a hold
-- (BillingCache.settle: the same plus dropping the hold, idempotent by hold id too), in one atomic step.
--
-- All or nothing: the type of every key the script writes is validated before the first write; a key of the
-- wrong type (marker, settled marker, outbox hash or sorted set) fails the call with QUOTA_WRONGTYPE and
-- nothing is written. (Entries of the wrong type are foreign entries: misses, marked dirty, never written.)
--
-- The idempotency marker is SET NX with its TTL; only when it was newly set are the entries changed and,
-- when the outbox is on (ARGV[26] not empty), the event appended to the shard's outbox: HSET of the member
-- <userId>:<requestId> -> encoded event, and ZADD of the member scored at the caller's now (ARGV[28], epoch ms
-- of the Java clock, never Redis TIME). A replay whose marker exists appends nothing. Mode 'n' (logged only,
-- BillingMode.NONE) sets the marker and appends to the outbox but moves no counter.
-- Entries change only when they exist with the expected schema version and every field valid. A target
-- entry that is absent or not valid is left alone (a check treats it as a miss and the service refills it)
-- but its dirty marker is SET with the dirty TTL: a refill loaded from the store before this usage reached
-- the store must not land (put.lua refuses while the marker lives). Window usage is added exactly (digit
-- strings) to the value read in the same call and written with one HSET per entry; an expired window is
-- overwritten with the cost and the new start computed in Java, never deleted. Nothing
-- is written to an entry when an addition would leave the signed 64-bit range (no marker either: the valid
-- entry stays cached and no refill replaces it).
--
-- KEYS[1] idempotency marker of the request id
-- KEYS[2] balance entry (mode b) or subscription entry (mode s)
-- KEYS[3] user x platform quota entry   KEYS[4] API key usage entry
-- KEYS[5] the user's holds hash         KEYS[6] settled marker of the hold id
-- KEYS[7..9] dirty markers of KEYS[2..4] (each entry key .. ':dirty', same slot)
-- KEYS[10] the shard's outbox hash       KEYS[11] the shard's outbox sorted set
-- KEYS[12] the API key x model usage entry   KEYS[13] its dirty marker
-- ARGV[1] mode 'b' balance | 's' subscription | 'n' logged only
-- ARGV[2] flags: 'P' platform quota touched, 'K' key usage touched, 'H' settle the hold ARGV[24]
-- ARGV[3] cost (nanos, canonical, not negative)
-- ARGV[4] idempotency marker TTL ms   ARGV[5] balance/subscription/platform TTL ms (jittered)   ARGV[6] key usage TTL ms
-- ARGV[7..10] schema versions: balance, subscription, platform quota, key usage
-- ARGV[11] known subscription statuses as ',A,B,'
-- ARGV[12..14] expiry thresholds (epoch ms) of the mode's daily/weekly/monthly windows
-- ARGV[15..17] their new starts (epoch ms) when expired
-- ARGV[18..20] expiry thresholds of the key 5h/1d/7d windows   ARGV[21..23] their new starts
-- ARGV[24] hold id (settle only)
-- ARGV[25] dirty marker TTL ms
-- ARGV[26] outbox member ('' = outbox off)   ARGV[27] encoded event   ARGV[28] now, epoch ms
-- ARGV[29] the event's tokens for the key's tokens per minute (KeyUsage.countedTokens)
-- ARGV[30] expiry threshold of the key's minute   ARGV[31] its new start
-- ARGV[32] schema version of the key x model entry ('' = not touched: no key or no model); its windows are the
--          key's (thresholds ARGV[18..20], new starts ARGV[21..23]), its TTL the key usage TTL
--
-- Reply: { applied, mainUpdated, platformUpdated, keyUpdated, modelUpdated } (0/1 each; an entry not updated although
-- the usage was applied was absent or invalid and is now dirty, unless the addition would have overflowed)

local mode = ARGV[1]
local flags = ARGV[2]
local cost = ARGV[3]
local settle = string.find(flags, 'H', 1, true) ~= nil
local outbox = ARGV[26] ~= ''

-- The type guard, before the first write. The outbox keys are checked up front; the settled marker's TYPE is
-- its existence check; the request marker is checked only when SET NX refused (it exists): a marker of
-- another type fails the call instead of passing for a replay, and SET NX wrote nothing.
if outbox then
  local wrong = q_first_wrong_type({ { KEYS[10], 'hash' }, { KEYS[11], 'zset' } })
  if wrong ~= nil then
    return q_wrongtype(wrong)
  end
end
if settle then
  local t = q_type(KEYS[6])
  if t == 'string' then
    redis.pcall('HDEL', KEYS[5], ARGV[24])
    return { 0, 0, 0, 0, 0 }
  elseif t ~= 'none' then
    return q_wrongtype(KEYS[6])
  end
end
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[4]) then
  if q_type(KEYS[1]) ~= 'string' then
    return q_wrongtype(KEYS[1])
  end
  if settle then
    redis.pcall('HDEL', KEYS[5], ARGV[24])
  end
  return { 0, 0, 0, 0, 0 }
end
if settle then
  redis.call('SET', KEYS[6], '1', 'PX', ARGV[4])
  redis.pcall('HDEL', KEYS[5], ARGV[24])
end
if outbox then
  redis.call('HSET', KEYS[10], ARGV[26], ARGV[27])
  redis.call('ZADD', KEYS[11], ARGV[28], ARGV[26])
end

-- Adds the cost to the three windows of a validated entry in one HSET, with `fields` (more field, value pairs)
-- already in it: a live window gets its usage plus the
-- cost (added exactly, as digit strings, from the value read above in this same atomic call), an expired one
-- the cost and its new start. False (and nothing written) when a sum would leave the signed 64-bit range.
local function bump(key, h, windows, thr, starts, ttl, fields)
  for p = 1, 3 do
    local usage, start = windows[2 * p - 1], windows[2 * p]
    if q_expired(h[start], ARGV[thr + p]) then
      fields[#fields + 1] = usage
      fields[#fields + 1] = cost
      fields[#fields + 1] = start
      fields[#fields + 1] = ARGV[starts + p]
    elseif cost ~= '0' then
      local sum = q_add(h[usage], cost)
      if q_cmp(sum, Q_MAX) > 0 then
        return 0
      end
      fields[#fields + 1] = usage
      fields[#fields + 1] = sum
    end
  end
  if #fields > 0 then
    redis.call('HSET', key, unpack(fields))
  end
  redis.call('PEXPIRE', key, ttl)
  return 1
end

-- Marks an entry that usage met absent or invalid as dirty.
local function mark_dirty(marker)
  redis.call('SET', marker, '1', 'PX', ARGV[25])
end

-- Adds the cost to the windows of an entry read and validated above (ok), or marks it dirty; 1 when updated.
local function bump_or_dirty(ok, key, marker, h, windows, thr, starts, ttl)
  if ok then
    return bump(key, h, windows, thr, starts, ttl, {})
  end
  mark_dirty(marker)
  return 0
end

local main_updated, pq_updated, key_updated, model_updated = 0, 0, 0, 0

if mode == 's' then
  local h = q_read_subscription(KEYS[2])
  main_updated = bump_or_dirty(q_subscription_ok(h, ARGV[8], ARGV[11]), KEYS[2], KEYS[7], h, Q_SUB_WINDOWS, 11, 14,
    ARGV[5])
elseif mode == 'b' then
  local h = q_read_balance(KEYS[2])
  if q_balance_ok(h, ARGV[7]) then
    local balance = h['balance']
    -- balance - cost stays >= -2^63: only a negative balance can leave the range
    local fits = string.byte(balance, 1) ~= 45 or q_cmp(q_add(string.sub(balance, 2), cost), Q_MIN_ABS) <= 0
    if fits then
      if cost ~= '0' then
        redis.call('HINCRBY', KEYS[2], 'balance', '-' .. cost)
      end
      redis.call('PEXPIRE', KEYS[2], ARGV[5])
      main_updated = 1
    end
  else
    mark_dirty(KEYS[7])
  end
  if string.find(flags, 'P', 1, true) ~= nil then
    local ph = q_read_platform(KEYS[3])
    pq_updated = bump_or_dirty(q_platform_ok(ph, ARGV[9]), KEYS[3], KEYS[8], ph, Q_PQ_WINDOWS, 11, 14, ARGV[5])
  end
end

if string.find(flags, 'K', 1, true) ~= nil then
  local kh = q_read_key(KEYS[4])
  if q_key_ok(kh, ARGV[10]) then
    -- the tokens of the key's minute, in the same HSET (none when the event has no tokens)
    local tokens, fields = ARGV[29], {}
    if tokens ~= '0' then
      if q_expired(kh['tpm_start'], ARGV[30]) then
        fields = { 'tpm_used', tokens, 'tpm_start', ARGV[31] }
      else
        local sum = q_add(kh['tpm_used'], tokens)
        if q_cmp(sum, Q_MAX) > 0 then
          fields = nil
        else
          fields = { 'tpm_used', sum }
        end
      end
    end
    if fields ~= nil then
      key_updated = bump(KEYS[4], kh, Q_KEY_WINDOWS, 17, 20, ARGV[6], fields)
    end
  else
    mark_dirty(KEYS[9])
  end
end

-- the key's spend on the event's model: the same cost in the same three windows of the key x model entry
if ARGV[32] ~= '' then
  local mh = q_read_key_model(KEYS[12])
  model_updated = bump_or_dirty(q_key_model_ok(mh, ARGV[32]), KEYS[12], KEYS[13], mh, Q_KEY_WINDOWS, 17, 20, ARGV[6])
end

return { 1, main_updated, pq_updated, key_updated, model_updated }
