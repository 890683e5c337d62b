-- check / reserve: one round trip for an eligibility check (BillingCache.check) or a check that takes a
-- hold (BillingCache.reserve). Reads every needed entry, validates it (schema version and every field the
-- Java codec reads), mirrors EligibilityEvaluator.evaluateBilling (check) or evaluateHold (reserve), and
-- only when every needed entry is usable and nothing denies: records the hold (reserve) and increments the
-- planned requests-per-minute counters, creating them with their TTL.
--
-- All or nothing: the script first only reads; its first writes are the planned RPM counters' INCRs, which
-- refuse a key that cannot take them (another type, not an integer, or at the maximum) before writing. Such a
-- counter fails the call with QUOTA_WRONGTYPE and nothing is left written: a group counter already counted in
-- this call is undone, no hold is taken and none purged. A holds hash of another type is a foreign key: read
-- as empty and replaced.
--
-- KEYS[1] balance entry (mode b) or subscription entry (mode s)
-- KEYS[2] user x platform quota entry          KEYS[3] API key usage entry
-- KEYS[4] user x group RPM counter             KEYS[5] user RPM counter
-- KEYS[6] the user's holds hash
-- ARGV[1] 'check' | 'reserve'                   ARGV[2] mode: 'b' balance | 's' subscription
-- ARGV[3] needed optional entries: contains 'P' (platform quota) and/or 'K' (key usage)
-- ARGV[4..7] schema versions: balance, subscription, platform quota, key usage
-- ARGV[8] known subscription statuses as ',A,B,'
-- ARGV[9] now, epoch ms
-- ARGV[10..12] expiry thresholds (epoch ms) of the daily/weekly/monthly windows of the mode's family
-- ARGV[13..15] subscription group caps (nanos, '' = unset)
-- ARGV[16..18] expiry thresholds of the key 5h/1d/7d windows
-- ARGV[19..21] key caps (nanos, '' = unset)
-- ARGV[22] group RPM cap ('' = not counted)     ARGV[23] user RPM cap ('' = not counted); only
--          emptiness matters here: the caps are compared in Java
-- ARGV[24] RPM counter TTL, ms
-- reserve only:
-- ARGV[25] hold id   ARGV[26] estimate (nanos)   ARGV[27] hold expiry (epoch ms)   ARGV[28] hold TTL (ms)
-- ARGV[29..32] this request's hold scopes: balance, subscription, platform, key ('' = not touched)
--
-- Reply: { mainOk, platformOk, keyOk, rpmCounted, groupCount, userCount, main, platform, key,
--          heldBalance, heldSubscription, heldPlatform, heldKey, admitted } (flags 0/1, amounts strings); each
--          entry is the values of its q_read_* fields in that order when it is usable, else 1 (present but
--          unusable) or 0 (absent or not needed)

local op = ARGV[1]
local mode = ARGV[2]
local need_platform = string.find(ARGV[3], 'P', 1, true) ~= nil
local need_key = string.find(ARGV[3], 'K', 1, true) ~= nil
local now = ARGV[9]
local reserve = op == 'reserve'

-- Each entry is read with HMGET of exactly the fields it is validated with and decoded from (q_read_*); the
-- values go back to Java in that order.
local main_h, main_v, main_ok
if mode == 's' then
  main_h, main_v = q_read_subscription(KEYS[1])
  main_ok = q_subscription_ok(main_h, ARGV[5], ARGV[8])
else
  main_h, main_v = q_read_balance(KEYS[1])
  main_ok = q_balance_ok(main_h, ARGV[4])
end

local pq_h, pq_v, pq_ok = {}, {}, true
if need_platform then
  pq_h, pq_v = q_read_platform(KEYS[2])
  pq_ok = q_platform_ok(pq_h, ARGV[6])
end

local key_h, key_v, key_ok = {}, {}, true
if need_key then
  key_h, key_v = q_read_key(KEYS[3])
  key_ok = q_key_ok(key_h, ARGV[7])
end

-- Live holds of the user, summed per scope; expired or unreadable holds are purged.
local held = { '0', '0', '0', '0' }
local already_held = false
-- expired or unreadable holds to delete (or the whole foreign key), once the writes may start
local purge, purge_all = {}, false
if reserve then
  local scopes = { ARGV[29], ARGV[30], ARGV[31], ARGV[32] }
  local _, flat, foreign = q_hash(KEYS[6])
  purge_all = foreign
  for i = 1, #flat, 2 do
    local id, raw = flat[i], flat[i + 1]
    local ok, rec = pcall(cjson.decode, raw)
    local live = ok and type(rec) == 'table' and type(rec.x) == 'string' and q_int(rec.x) ~= nil
        and type(rec.e) == 'string' and q_nonneg(rec.e) ~= nil and type(rec.s) == 'table'
        and q_cmp(rec.x, now) > 0
    if not live then
      purge[#purge + 1] = id
    elseif id == ARGV[25] then
      already_held = true
    else
      for _, s in ipairs(rec.s) do
        for k = 1, 4 do
          if scopes[k] ~= '' and s == scopes[k] then
            held[k] = q_add(held[k], rec.e)
          end
        end
      end
    end
  end
end

-- Does any of the three windows of one limit family deny? For a hold the comparison counts the other live
-- holds of the scope and the estimate (evaluateHold); for a check only the usage (evaluateBilling).
local function windows_deny(h, windows, threshold_base, cap_of, held_amount, estimate)
  for p = 1, 3 do
    local used = q_effective(h, windows[2 * p - 1], windows[2 * p], ARGV[threshold_base + p])
    local cap = cap_of(p)
    local deny
    if reserve then
      deny = q_denies_hold(cap, used, held_amount, estimate)
    else
      deny = q_denies_spend(cap, used)
    end
    if deny then
      return true
    end
  end
  return false
end

local denied = false
if main_ok and pq_ok and key_ok then
  local estimate = ARGV[26]
  if mode == 's' then
    -- SubscriptionState.isValidAt: valid only strictly before the expiry instant (now >= expires_at denies)
    denied = main_h['status'] ~= 'ACTIVE' or q_cmp(now, main_h['expires_at']) >= 0
      or windows_deny(main_h, Q_SUB_WINDOWS, 9, function(p) return ARGV[12 + p] end, held[2], estimate)
  else
    local balance = main_h['balance']
    if reserve then
      -- balance > 0 and balance - held - estimate >= 0, i.e. held + estimate <= balance
      denied = q_cmp(balance, '0') <= 0 or q_cmp(q_add(held[1], estimate), balance) > 0
    else
      denied = q_cmp(balance, '0') <= 0
    end
    if need_platform and not denied then
      denied = windows_deny(pq_h, Q_PQ_WINDOWS, 9, function(p) return pq_h[Q_PQ_LIMITS[p]] end, held[3], estimate)
    end
  end
  if need_key and not denied then
    denied = windows_deny(key_h, Q_KEY_WINDOWS, 15, function(p) return ARGV[18 + p] end, held[4], estimate)
  end
else
  denied = true
end

local counted, group_count, user_count = 0, 0, 0
if not already_held and not denied then
  -- RPM last: every planned counter is incremented (the service compares the counts with the caps, group
  -- first), as the BillingCache contract and the in-memory fake do. Counted first of all writes, so that a
  -- counter that cannot take INCR leaves no hold written and none purged; the group counter this call counted
  -- is undone (q_uncount) when the user counter cannot be counted.
  if ARGV[22] ~= '' then
    group_count = q_incr(KEYS[4])
    if group_count == nil then
      return q_wrongtype(KEYS[4])
    end
  end
  if ARGV[23] ~= '' then
    user_count = q_incr(KEYS[5])
    if user_count == nil then
      if ARGV[22] ~= '' then
        q_uncount(KEYS[4], group_count)
      end
      return q_wrongtype(KEYS[5])
    end
  end
  q_counted(KEYS[4], group_count, ARGV[24])
  q_counted(KEYS[5], user_count, ARGV[24])
  counted = 1
end

if purge_all then
  redis.call('DEL', KEYS[6])
else
  for i = 1, #purge do
    redis.call('HDEL', KEYS[6], purge[i])
  end
end

local admitted = 0
if already_held then
  -- reserving an id that is already held changes nothing and reports it admitted
  admitted = 1
elseif not denied and reserve then
  local rec = { x = ARGV[27], e = ARGV[26], s = {} }
  for k = 29, 32 do
    if ARGV[k] ~= '' then
      rec.s[#rec.s + 1] = ARGV[k]
    end
  end
  redis.call('HSET', KEYS[6], ARGV[25], cjson.encode(rec))
  local ttl = tonumber(ARGV[28])
  if redis.call('PTTL', KEYS[6]) < ttl then
    redis.call('PEXPIRE', KEYS[6], ttl)
  end
  admitted = 1
end

local function flag(b)
  if b then
    return 1
  end
  return 0
end

-- A usable entry goes back as its values; one that is not as 1 when any of its fields exists (another schema
-- version or corrupt: Java logs it), else 0 (absent).
local function entry(ok, v)
  if ok then
    return v
  end
  for i = 1, #v do
    if v[i] then
      return 1
    end
  end
  return 0
end

return { flag(main_ok), flag(pq_ok), flag(key_ok), counted, group_count, user_count,
  entry(main_ok, main_v), entry(pq_ok, pq_v), entry(key_ok, key_v), held[1], held[2], held[3], held[4], admitted }
