-- check / reserve: one round trip for an eligibility check (BillingCache.check) or a check that takes a
-- hold (BillingCache.reserve). Reads every entry of the request's limit plan, validates it (schema version and
-- every field the Java codec reads), walks the plan's lines in order as EligibilityEvaluator does (a check
-- compares usage with the cap; a reserve adds the other live holds of the line's scope and the estimate), and
-- only when every entry is usable and no line denies: records the hold (reserve) and increments the planned
-- requests-per-minute counters, creating them with their TTL.
--
-- All or nothing: the script first only reads; its first writes are the planned RPM counters' INCRs, which
-- refuse a key that cannot take them (another type, not an integer, or at the maximum) before writing. Such a
-- counter fails the call with QUOTA_WRONGTYPE and nothing is left written: a group counter already counted in
-- this call is undone, no hold is taken and none purged. A holds hash of another type is a foreign key: read
-- as empty and replaced.
--
-- The keys, arguments and reply are laid out by CheckArgs (Java), which documents them: a header, the plan's
-- entries (kind, schema version) and its lines (spec, used field, start field, threshold, cap) with a fixed
-- stride, then the hold (reserve only). No line or entry is numbered here.

local op = ARGV[1]
local now = ARGV[2]
local reserve = op == 'reserve'
local n_entries = tonumber(ARGV[7])
local first_line = 9 + 2 * n_entries
local n_lines = tonumber(ARGV[8 + 2 * n_entries])
local tail = first_line + 5 * n_lines

-- Each entry is read with HMGET of exactly the fields it is validated with and decoded from (q_read_entry);
-- the values go back to Java in that order.
local hs, vs, oks = {}, {}, {}
local usable = true
for e = 1, n_entries do
  local at = 6 + 2 * e
  local h, v, ok = q_read_entry(ARGV[at], KEYS[3 + e], ARGV[at + 1], ARGV[3])
  hs[e], vs[e], oks[e] = h, v, ok
  if not ok then
    usable = false
  end
end

-- Live holds of the user, summed per scope (reserve only); expired or unreadable holds are purged.
local n_scopes = 0
local held = {}
local already_held = false
local estimate, hold_id
-- expired or unreadable holds to delete (or the whole foreign key), once the writes may start
local purge, purge_all = {}, false
if reserve then
  hold_id, estimate = ARGV[tail], ARGV[tail + 1]
  n_scopes = #ARGV - tail - 3
  local scopes = {}
  for k = 1, n_scopes do
    scopes[k] = ARGV[tail + 3 + k]
    held[k] = '0'
  end
  local _, flat, foreign = q_hash(KEYS[1])
  purge_all = foreign
  for i = 1, #flat, 2 do
    local id, raw = flat[i], flat[i + 1]
    local ok, rec = pcall(cjson.decode, raw)
    local live = ok and type(rec) == 'table' and type(rec.x) == 'string' and q_int(rec.x) ~= nil
        and type(rec.e) == 'string' and q_nonneg(rec.e) ~= nil and type(rec.s) == 'table'
        and q_cmp(rec.x, now) > 0
    if not live then
      purge[#purge + 1] = id
    elseif id == hold_id then
      already_held = true
    else
      for _, s in ipairs(rec.s) do
        for k = 1, n_scopes do
          if scopes[k] ~= '' and s == scopes[k] then
            held[k] = q_add(held[k], rec.e)
          end
        end
      end
    end
  end
end

-- The lines, in the check order; the first that denies ends the walk. Line kinds: 'b' balance > 0 (a reserve:
-- held + estimate <= balance); 'a' subscription active and strictly before its expiry; 'w' / 'e' a window's
-- usage (zero once expired) against the cap in the line ('w') or in the entry field the line names ('e').
local denied = not usable
if usable then
  for l = 1, n_lines do
    local at = first_line + 5 * (l - 1)
    local spec = ARGV[at]
    local kind, h, scope = q_byte(spec, 1), hs[q_byte(spec, 2) - 48], q_byte(spec, 3) - 48
    if kind == 98 then
      local balance = h['balance']
      denied = q_cmp(balance, '0') <= 0
      if reserve and not denied then
        -- balance - held - estimate >= 0, i.e. held + estimate <= balance
        denied = q_cmp(q_add(held[scope], estimate), balance) > 0
      end
    elseif kind == 97 then
      -- SubscriptionState.isValidAt: valid only strictly before the expiry instant (now >= expires_at denies)
      denied = h['status'] ~= 'ACTIVE' or q_cmp(now, h['expires_at']) >= 0
    else
      local cap = ARGV[at + 4]
      if kind == 101 then
        cap = h[cap]
      end
      if cap ~= '' then
        local used = q_effective(h, ARGV[at + 1], ARGV[at + 2], ARGV[at + 3])
        if reserve and scope > 0 then
          denied = q_denies_hold(cap, used, held[scope], estimate)
        else
          denied = q_denies_spend(cap, used)
        end
      end
    end
    if denied then
      break
    end
  end
end

local counted, group_count, user_count = 0, 0, 0
if not already_held and not denied then
  -- RPM last: every planned counter is incremented (the service compares the counts with the caps, group
  -- first), as the BillingCache contract and the in-memory fake do. Counted first of all writes, so that a
  -- counter that cannot take INCR leaves no hold written and none purged; the group counter this call counted
  -- is undone (q_uncount) when the user counter cannot be counted.
  if ARGV[4] ~= '' then
    group_count = q_incr(KEYS[2])
    if group_count == nil then
      return q_wrongtype(KEYS[2])
    end
  end
  if ARGV[5] ~= '' then
    user_count = q_incr(KEYS[3])
    if user_count == nil then
      if ARGV[4] ~= '' then
        q_uncount(KEYS[2], group_count)
      end
      return q_wrongtype(KEYS[3])
    end
  end
  q_counted(KEYS[2], group_count, ARGV[6])
  q_counted(KEYS[3], user_count, ARGV[6])
  counted = 1
end

if purge_all then
  redis.call('DEL', KEYS[1])
else
  for i = 1, #purge do
    redis.call('HDEL', KEYS[1], purge[i])
  end
end

local admitted = 0
if already_held then
  -- reserving an id that is already held changes nothing and reports it admitted
  admitted = 1
elseif not denied and reserve then
  local rec = { x = ARGV[tail + 2], e = estimate, s = {} }
  for k = 1, n_scopes do
    local s = ARGV[tail + 3 + k]
    if s ~= '' then
      rec.s[#rec.s + 1] = s
    end
  end
  redis.call('HSET', KEYS[1], hold_id, cjson.encode(rec))
  local ttl = tonumber(ARGV[tail + 3])
  if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
  admitted = 1
end

-- A usable entry goes back as its values; one that is not as 1 when any of its fields exists (another schema
-- version or corrupt: Java logs it), else 0 (absent).
local out = { counted, group_count, user_count, admitted }
for e = 1, n_entries do
  local v = vs[e]
  if oks[e] then
    out[4 + e] = v
  else
    local present = 0
    for i = 1, #v do
      if v[i] then
        present = 1
      end
    end
    out[4 + e] = present
  end
end
for k = 1, n_scopes do
  out[4 + n_entries + k] = held[k]
end
return out
