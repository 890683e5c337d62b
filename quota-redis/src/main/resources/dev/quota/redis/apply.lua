-- apply / settle: records one request's cost exactly once (BillingCache.applyUsage), or settles a hold
-- (BillingCache.settle: the same plus dropping the hold, idempotent by hold id too), in one atomic step.
--
-- All or nothing: the type of every key the script writes is validated before the first write; a key of the
-- wrong type (marker, settled marker, outbox hash or sorted set) fails the call with QUOTA_WRONGTYPE and
-- nothing is written. (Entries of the wrong type are foreign entries: misses, marked dirty, never written.)
--
-- The idempotency marker is SET NX with its TTL; only when it was newly set are the entries changed and,
-- when the outbox is on (OUTBOX_MEMBER not empty), the event appended to the shard's outbox: HSET of the member
-- <userId>:<requestId> -> encoded event, and ZADD of the member scored at the caller's now (NOW, epoch ms of the
-- Java clock, never Redis TIME). A replay whose marker exists appends nothing. Mode 'n' (logged only,
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
-- The keys and arguments are laid out by ApplyArgs (Java), which documents them; the script names them
-- ($MARKER, $COST, ...), and each name is replaced with its position when the script is assembled; the schema
-- versions and the known statuses ($SV_BALANCE, $STATUSES, ...) with their values, as literals.
--
-- Reply: { applied, mainUpdated, platformUpdated, keyUpdated, modelUpdated } (0/1 each; an entry not updated although
-- the usage was applied was absent or invalid and is now dirty, unless the addition would have overflowed)

local mode = ARGV[$MODE]
local flags = ARGV[$FLAGS]
local cost = ARGV[$COST]
local settle = string.find(flags, 'H', 1, true) ~= nil
local outbox = ARGV[$OUTBOX_MEMBER] ~= ''
-- the cost as a number when that is exact (at most 15 digits), read once for every window it is added to
local cost_n = nil
if #cost <= 15 then
  cost_n = tonumber(cost)
end

-- The type guard, before the first write. The outbox keys are checked up front; the settled marker's TYPE is
-- its existence check; the request marker is checked only when SET NX refused (it exists): a marker of
-- another type fails the call instead of passing for a replay, and SET NX wrote nothing.
if outbox then
  local wrong = q_first_wrong_type({ { KEYS[$OUTBOX], 'hash' }, { KEYS[$OUTBOX_DUE], 'zset' } })
  if wrong ~= nil then
    return q_wrongtype(wrong)
  end
end
if settle then
  local t = q_type(KEYS[$SETTLED])
  if t == 'string' then
    redis.pcall('HDEL', KEYS[$HOLDS], ARGV[$HOLD_ID])
    return { 0, 0, 0, 0, 0 }
  elseif t ~= 'none' then
    return q_wrongtype(KEYS[$SETTLED])
  end
end
if not redis.call('SET', KEYS[$MARKER], '1', 'NX', 'PX', ARGV[$MARKER_TTL]) then
  if q_type(KEYS[$MARKER]) ~= 'string' then
    return q_wrongtype(KEYS[$MARKER])
  end
  if settle then
    redis.pcall('HDEL', KEYS[$HOLDS], ARGV[$HOLD_ID])
  end
  return { 0, 0, 0, 0, 0 }
end
if settle then
  redis.call('SET', KEYS[$SETTLED], '1', 'PX', ARGV[$MARKER_TTL])
  redis.pcall('HDEL', KEYS[$HOLDS], ARGV[$HOLD_ID])
end
if outbox then
  redis.call('HSET', KEYS[$OUTBOX], ARGV[$OUTBOX_MEMBER], ARGV[$EVENT])
  redis.call('ZADD', KEYS[$OUTBOX_DUE], ARGV[$NOW], ARGV[$OUTBOX_MEMBER])
end

-- Adds the cost to the three windows of a validated entry in one HSET, with `fields` (more field, value pairs)
-- already in it; window p's expiry threshold is ARGV[thr + p] and its new start ARGV[starts + p] (thr and starts
-- are the slots before the runs, folded to constants when the script is compiled): a live window gets its usage plus the
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
      local sum = q_add_fits(h[usage], cost, cost_n)
      if sum == nil then
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
  redis.call('SET', marker, '1', 'PX', ARGV[$DIRTY_TTL])
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
  local h = q_read_subscription(KEYS[$MAIN])
  main_updated = bump_or_dirty(q_subscription_ok(h, $SV_SUBSCRIPTION, $STATUSES), KEYS[$MAIN],
    KEYS[$MAIN_DIRTY], h, Q_SUB_WINDOWS, $PERIOD_THRESHOLDS - 1, $PERIOD_STARTS - 1, ARGV[$ENTRY_TTL])
elseif mode == 'b' then
  local h = q_read_balance(KEYS[$MAIN])
  if q_balance_ok(h, $SV_BALANCE) then
    local balance = h['balance']
    -- balance - cost stays >= -2^63: only a negative balance can leave the range
    local fits = string.byte(balance, 1) ~= 45 or q_cmp(q_add(string.sub(balance, 2), cost), Q_MIN_ABS) <= 0
    if fits then
      if cost ~= '0' then
        redis.call('HINCRBY', KEYS[$MAIN], 'balance', '-' .. cost)
      end
      redis.call('PEXPIRE', KEYS[$MAIN], ARGV[$ENTRY_TTL])
      main_updated = 1
    end
  else
    mark_dirty(KEYS[$MAIN_DIRTY])
  end
  if string.find(flags, 'P', 1, true) ~= nil then
    local ph = q_read_platform(KEYS[$PLATFORM])
    pq_updated = bump_or_dirty(q_platform_ok(ph, $SV_PLATFORM), KEYS[$PLATFORM], KEYS[$PLATFORM_DIRTY], ph,
      Q_PQ_WINDOWS, $PERIOD_THRESHOLDS - 1, $PERIOD_STARTS - 1, ARGV[$ENTRY_TTL])
  end
end

if string.find(flags, 'K', 1, true) ~= nil then
  local kh = q_read_key(KEYS[$KEY_USAGE])
  if q_key_ok(kh, $SV_KEY) then
    -- the tokens of the key's minute, in the same HSET (none when the event has no tokens)
    local tokens, fields = ARGV[$TOKENS], {}
    if tokens ~= '0' then
      if q_expired(kh['tpm_start'], ARGV[$TPM_THRESHOLD]) then
        fields = { 'tpm_used', tokens, 'tpm_start', ARGV[$TPM_START] }
      else
        local sum = q_add_fits(kh['tpm_used'], tokens, nil)
        if sum == nil then
          fields = nil
        else
          fields = { 'tpm_used', sum }
        end
      end
    end
    if fields ~= nil then
      key_updated = bump(KEYS[$KEY_USAGE], kh, Q_KEY_WINDOWS, $KEY_THRESHOLDS - 1, $KEY_STARTS - 1, ARGV[$KEY_TTL],
        fields)
    end
  else
    mark_dirty(KEYS[$KEY_DIRTY])
  end
end

-- the key's spend on the event's model: the same cost in the same three windows of the key x model entry
if string.find(flags, 'M', 1, true) ~= nil then
  local mh = q_read_key_model(KEYS[$MODEL])
  model_updated = bump_or_dirty(q_key_model_ok(mh, $SV_MODEL), KEYS[$MODEL], KEYS[$MODEL_DIRTY], mh,
    Q_KEY_WINDOWS, $KEY_THRESHOLDS - 1, $KEY_STARTS - 1, ARGV[$KEY_TTL])
end

return { 1, main_updated, pq_updated, key_updated, model_updated }
