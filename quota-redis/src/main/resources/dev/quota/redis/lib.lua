-- Quota shared Lua helpers. The definitions a script uses (directly or through other definitions) are
-- prepended to it before it is sent to Redis (the script's SHA-1 covers both; LuaLib), so each script is
-- self-contained and carries no unused helper: Redis runs every definition a script carries on every call.
-- Every top-level line is a `local` definition, `end`, a continuation or a comment (LuaLib cuts on `local`).
--
-- Money rule: Lua numbers are doubles and exact only up to 2^53, so no amount of money is turned into a
-- Lua number here unless that is exact. Amounts and epoch-millisecond instants travel as canonical decimal
-- integer strings; they are validated with patterns, compared (q_cmp) and added (q_add) digit by digit, or
-- as numbers when both have at most 15 digits (below 10^15, so a double holds them and their sum exactly).
-- Redis itself changes stored balances with HINCRBY (64-bit integers).

local Q_MAX = '9223372036854775807'
local Q_MIN_ABS = '9223372036854775808'

-- The string functions as locals: one upvalue read per use instead of two table lookups. What a script
-- carries of this library is run again on every call (Redis keeps no state between calls) unless it runs as a
-- Redis 7 function (FunctionLibrary), whose library top level runs once at FUNCTION LOAD. That top level sees
-- no globals at all (not even `string`), so the functions are taken from the string metatable and every
-- other global is read inside a function body, at call time.
local q_byte, q_find, q_char, q_format = ('').byte, ('').find, ('').char, ('').format

-- The canonical form of a signed 64-bit integer: optional '-', no '+', no leading zeros, no '-0'.
-- Returns the string when it is canonical and in range, nil otherwise. Stricter than Java's
-- Long.parseLong on purpose: whatever passes here also decodes in Java, and HINCRBY accepts it.
-- The shape is checked with an anchored pattern without captures (no substrings are made); from 19
-- characters on, the digits are then read in place, after the optional sign, against the range.
local function q_int(s)
  if type(s) ~= 'string' then
    return nil
  end
  if #s < 19 then
    -- the common case, one pattern: at most 18 characters are at most 18 digits, always in range, so the form
    -- alone decides ('0', or an optional '-' and no leading zero)
    if s == '0' or q_find(s, '^%-?[1-9]%d*$') ~= nil then
      return s
    end
    return nil
  end
  if q_find(s, '^%-?%d+$') == nil then
    return nil
  end
  local first, bound = 1, Q_MAX
  if q_byte(s, 1) == 45 then
    first, bound = 2, Q_MIN_ABS
  end
  -- 19 characters or more: at least 18 digits
  local len = #s - first + 1
  if len > 19 or q_byte(s, first) == 48 then
    return nil
  end
  if len == 19 then
    for i = 1, 19 do
      local a, b = q_byte(s, first + i - 1), q_byte(bound, i)
      if a ~= b then
        if a > b then
          return nil
        end
        break
      end
    end
  end
  return s
end

-- A canonical 64-bit integer that is not negative, else nil.
local function q_nonneg(s)
  if type(s) == 'string' and #s < 19 then
    -- the common case, as in q_int: the form alone decides
    if s == '0' or q_find(s, '^[1-9]%d*$') ~= nil then
      return s
    end
    return nil
  end
  local v = q_int(s)
  if v == nil or q_byte(v, 1) == 45 then
    return nil
  end
  return v
end

-- Compares two non-negative digit strings without leading zeros: -1, 0 or 1.
local function q_cmp_abs(a, b)
  local n = #a
  if n ~= #b then
    if n < #b then
      return -1
    end
    return 1
  end
  if a == b then
    return 0
  end
  if n <= 15 then
    -- exact: a decimal integer of at most 15 digits is below 2^53, so tonumber reads it without rounding
    if tonumber(a) < tonumber(b) then
      return -1
    end
    return 1
  end
  for i = 1, n do
    local x, y = q_byte(a, i), q_byte(b, i)
    if x ~= y then
      if x < y then
        return -1
      end
      return 1
    end
  end
  return 0
end

-- Compares two canonical signed decimal integers of any length: -1, 0 or 1.
local function q_cmp(a, b)
  if #a <= 15 and #b <= 15 then
    -- exact: at most 15 characters, the sign included, is below 10^15 (< 2^53) in magnitude, so tonumber reads
    -- both without rounding
    local x, y = tonumber(a), tonumber(b)
    if x < y then
      return -1
    elseif x > y then
      return 1
    end
    return 0
  end
  local na = q_byte(a, 1) == 45
  local nb = q_byte(b, 1) == 45
  if na ~= nb then
    if na then
      return -1
    end
    return 1
  end
  if na then
    return q_cmp_abs(string.sub(b, 2), string.sub(a, 2))
  end
  return q_cmp_abs(a, b)
end

-- Adds two non-negative canonical decimal integers of any length, exactly, as strings. The digit codes
-- are written from the right into one table and turned into the result with a single string.char.
local function q_add(a, b)
  if a == '0' then
    return b
  end
  if b == '0' then
    return a
  end
  if #a <= 15 and #b <= 15 then
    -- exact: both are below 10^15, so the sum is below 2^53 and '%.0f' prints every digit of it
    return q_format('%.0f', tonumber(a) + tonumber(b))
  end
  local i, j, carry = #a, #b, 0
  local k = i
  if j > k then
    k = j
  end
  k = k + 1
  local last = k
  local out = {}
  while i > 0 or j > 0 do
    local s = carry
    if i > 0 then
      s = s + q_byte(a, i) - 48
      i = i - 1
    end
    if j > 0 then
      s = s + q_byte(b, j) - 48
      j = j - 1
    end
    if s >= 10 then
      out[k] = s - 10 + 48
      carry = 1
    else
      out[k] = s + 48
      carry = 0
    end
    k = k - 1
  end
  if carry > 0 then
    out[k] = 49
    k = k - 1
  end
  -- canonical operands other than '0' give no leading zero; skip any anyway, as the digit loop did before
  k = k + 1
  while k < last and out[k] == 48 do
    k = k + 1
  end
  return q_char(unpack(out, k, last))
end

-- a + b for two non-negative canonical decimal integers, or nil when the sum would leave the signed 64-bit range.
-- bn is tonumber(b) when the caller already has it (b of at most 15 digits; a record adds one cost to many
-- windows), else nil.
local function q_add_fits(a, b, bn)
  if #a <= 15 and #b <= 15 then
    -- exact: both are below 10^15, so the sum is below 2^53, far inside the range, and '%.0f' prints every digit
    return q_format('%.0f', tonumber(a) + (bn or tonumber(b)))
  end
  local sum = q_add(a, b)
  if q_cmp(sum, Q_MAX) > 0 then
    return nil
  end
  return sum
end

-- min(a, Long.MAX_VALUE) for a non-negative decimal integer string: mirrors Java's saturating add.
local function q_saturate(a)
  if q_cmp(a, Q_MAX) > 0 then
    return Q_MAX
  end
  return a
end

-- HGETALL as a Lua table field -> value, plus the flat reply to hand back to Java. A key of another type
-- (a foreign entry) reads as absent instead of failing the script: it is a miss, and the refill's DEL + HSET
-- replaces it. The third result is true for such a foreign key.
local function q_hash(key)
  local flat = redis.pcall('HGETALL', key)
  if type(flat) ~= 'table' or flat.err ~= nil then
    return {}, {}, true
  end
  local h = {}
  for i = 1, #flat, 2 do
    h[flat[i]] = flat[i + 1]
  end
  return h, flat, false
end

-- HMGET of the named fields: the values in the order of `names` (false for a field that is absent), or an
-- empty table for a key of another type (a foreign entry, which then reads as absent, as in q_hash).
local function q_hmget(key, names)
  local v = redis.pcall('HMGET', key, unpack(names))
  if type(v) ~= 'table' or v.err ~= nil then
    return {}
  end
  return v
end

-- The fields a check or record reads of each entry kind, as tables built by one constructor each (no table
-- grown field by field): exactly the fields the validators below read and the Java codecs decode (the Java side
-- names them in the same order, ReplyHash). Each reader returns the entry as a table field -> value (false for
-- an absent field) and the HMGET reply itself, the values in this order, which a check hands back to Java.
local Q_BALANCE_FIELDS = { 'sv', 'balance' }
local function q_read_balance(key)
  local v = q_hmget(key, Q_BALANCE_FIELDS)
  return { sv = v[1], balance = v[2] }, v
end

local Q_SUB_FIELDS = { 'sv', 'status', 'expires_at', 'daily_usage', 'daily_start', 'weekly_usage', 'weekly_start',
  'monthly_usage', 'monthly_start' }
local function q_read_subscription(key)
  local v = q_hmget(key, Q_SUB_FIELDS)
  return { sv = v[1], status = v[2], expires_at = v[3], daily_usage = v[4], daily_start = v[5],
    weekly_usage = v[6], weekly_start = v[7], monthly_usage = v[8], monthly_start = v[9] }, v
end

local Q_PQ_FIELDS = { 'sv', 'daily_usage', 'daily_window_start', 'weekly_usage', 'weekly_window_start',
  'monthly_usage', 'monthly_window_start', 'daily_limit', 'weekly_limit', 'monthly_limit' }
local function q_read_platform(key)
  local v = q_hmget(key, Q_PQ_FIELDS)
  return { sv = v[1], daily_usage = v[2], daily_window_start = v[3], weekly_usage = v[4],
    weekly_window_start = v[5], monthly_usage = v[6], monthly_window_start = v[7], daily_limit = v[8],
    weekly_limit = v[9], monthly_limit = v[10] }, v
end

local Q_KEY_FIELDS = { 'sv', 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d',
  'tpm_used', 'tpm_start' }
local function q_read_key(key)
  local v = q_hmget(key, Q_KEY_FIELDS)
  return { sv = v[1], usage_5h = v[2], window_5h = v[3], usage_1d = v[4], window_1d = v[5], usage_7d = v[6],
    window_7d = v[7], tpm_used = v[8], tpm_start = v[9] }, v
end

local Q_KEY_MODEL_FIELDS = { 'sv', 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d' }
local function q_read_key_model(key)
  local v = q_hmget(key, Q_KEY_MODEL_FIELDS)
  return { sv = v[1], usage_5h = v[2], window_5h = v[3], usage_1d = v[4], window_1d = v[5], usage_7d = v[6],
    window_7d = v[7] }, v
end

-- A window's usage and start as stored: usage a non-negative integer, start '' (none) or an integer.
local function q_window_ok(h, usage_field, start_field)
  if q_nonneg(h[usage_field]) == nil then
    return false
  end
  local start = h[start_field]
  if start == nil then
    return false
  end
  return start == '' or q_int(start) ~= nil
end

-- True when a window that started at `start` ('' = none) is expired at the threshold computed in Java
-- (Window.expiredBeforeMillis): no start, or start < threshold.
local function q_expired(start, threshold)
  return start == '' or q_cmp(start, threshold) < 0
end

-- The usage that counts now: the stored usage while the window is live, '0' once it expired.
local function q_effective(h, usage_field, start_field, threshold)
  if q_expired(h[start_field], threshold) then
    return '0'
  end
  return h[usage_field]
end

-- Limit.deniesSpend: cap '' = unset (never denies); otherwise denies when used >= cap (so cap 0 always).
local function q_denies_spend(cap, used)
  if cap == '' then
    return false
  end
  return q_cmp(used, cap) >= 0
end

-- Limit.deniesHold with EligibilityEvaluator's saturating used + held: denies when
-- min(used + held, MAX) + estimate > cap, or cap is 0; never when cap is unset.
local function q_denies_hold(cap, used, held, estimate)
  if cap == '' then
    return false
  end
  if cap == '0' then
    return true
  end
  local total = q_add(q_saturate(q_add(used, held)), estimate)
  return q_cmp(total, cap) > 0
end

-- Validates an entry of the expected schema version with the given windows and extra checks.
local function q_entry_ok(h, sv, windows)
  if h['sv'] ~= sv then
    return false
  end
  for p = 1, 3 do
    if not q_window_ok(h, windows[2 * p - 1], windows[2 * p]) then
      return false
    end
  end
  return true
end

-- The usage and start fields of each family's three windows, flat: window p's usage at 2p - 1, its start at
-- 2p (one table built per call instead of four).
local Q_SUB_WINDOWS = { 'daily_usage', 'daily_start', 'weekly_usage', 'weekly_start',
  'monthly_usage', 'monthly_start' }
local Q_PQ_WINDOWS = { 'daily_usage', 'daily_window_start', 'weekly_usage', 'weekly_window_start',
  'monthly_usage', 'monthly_window_start' }
local Q_PQ_LIMITS = { 'daily_limit', 'weekly_limit', 'monthly_limit' }
local Q_KEY_WINDOWS = { 'usage_5h', 'window_5h', 'usage_1d', 'window_1d', 'usage_7d', 'window_7d' }

local function q_balance_ok(h, sv)
  return h['sv'] == sv and q_int(h['balance']) ~= nil
end

-- statuses: ',ACTIVE,EXPIRED,...,' as passed from Java (SubscriptionStatus names).
local function q_subscription_ok(h, sv, statuses)
  if not q_entry_ok(h, sv, Q_SUB_WINDOWS) then
    return false
  end
  local status = h['status']
  if type(status) ~= 'string' or status == '' or q_find(status, ',', 1, true) ~= nil
      or q_find(statuses, ',' .. status .. ',', 1, true) == nil then
    return false
  end
  return q_int(h['expires_at']) ~= nil
end

local function q_platform_ok(h, sv)
  if not q_entry_ok(h, sv, Q_PQ_WINDOWS) then
    return false
  end
  for p = 1, 3 do
    local v = h[Q_PQ_LIMITS[p]]
    if v == nil or (v ~= '' and q_nonneg(v) == nil) then
      return false
    end
  end
  return true
end

local function q_key_ok(h, sv)
  return q_entry_ok(h, sv, Q_KEY_WINDOWS) and q_window_ok(h, 'tpm_used', 'tpm_start')
end

-- The key x model entry has the key entry's three spend windows (same field names), no minute.
local function q_key_model_ok(h, sv)
  return q_entry_ok(h, sv, Q_KEY_WINDOWS)
end

-- Reads and validates one entry of a kind a check names by the byte of its letter (CheckArgs: 'b' balance,
-- 's' subscription, 'p' platform quota, 'k' key usage, 'm' key usage on a model): the entry as a table field -> value, the HMGET reply
-- (the values in the order of the kind's q_read_* fields) and whether it is usable. The one place a new entry
-- kind is added.
local function q_read_entry(kind, key, sv, statuses)
  local h, v
  if kind == 98 then
    h, v = q_read_balance(key)
    return h, v, q_balance_ok(h, sv)
  elseif kind == 115 then
    h, v = q_read_subscription(key)
    return h, v, q_subscription_ok(h, sv, statuses)
  elseif kind == 112 then
    h, v = q_read_platform(key)
    return h, v, q_platform_ok(h, sv)
  elseif kind == 107 then
    h, v = q_read_key(key)
    return h, v, q_key_ok(h, sv)
  elseif kind == 109 then
    h, v = q_read_key_model(key)
    return h, v, q_key_model_ok(h, sv)
  end
  error('unknown entry kind ' .. tostring(kind))
end

-- Increments a fixed-bucket counter: the count including this call, or nil when the key cannot take INCR
-- (another type, not a canonical integer, or at the maximum: INCR refuses those before writing anything).
local function q_incr(key)
  local n = redis.pcall('INCR', key)
  if type(n) ~= 'number' then
    return nil
  end
  return n
end

-- Gives a counter q_incr just created (count 1) its expiry, in the same atomic call.
local function q_counted(key, n, ttl_ms)
  if n == 1 then
    redis.call('PEXPIRE', key, ttl_ms)
  end
end

-- Undoes a q_incr of this call that returned n, when a later counter of the same call cannot be counted (the
-- script then fails having written nothing): DECR, or DEL when this call created the counter (count 1; a
-- counter holding 0, which Quota never writes, reads the same as an absent one).
local function q_uncount(key, n)
  if n == 1 then
    redis.call('DEL', key)
  else
    redis.call('DECR', key)
  end
end

-- The Redis type of a key: 'none', 'string', 'hash', 'zset', ...
local function q_type(key)
  local t = redis.call('TYPE', key)
  if type(t) == 'table' then
    return t['ok']
  end
  return t
end

-- All-or-nothing scripts validate every key they will write before their first write. Returns nil when
-- every key of `checks` ({ key, wanted type } pairs) is absent or of the wanted type, else the first key that
-- is not (the caller answers with q_wrongtype and writes nothing).
local function q_first_wrong_type(checks)
  for i = 1, #checks do
    local c = checks[i]
    local t = q_type(c[1])
    if t ~= 'none' and t ~= c[2] then
      return c[1]
    end
  end
  return nil
end

-- The error reply of a script that found a key of the wrong type before writing anything.
local function q_wrongtype(key)
  return redis.error_reply('QUOTA_WRONGTYPE key ' .. key .. ' holds the wrong kind of value; nothing was written')
end
