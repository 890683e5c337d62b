-- check: one round trip for a check that takes a hold (BillingCache.reserve; a plain check runs no script, see
-- PlainCheck). Reads every entry of the request's limit plan, validates it (schema version and every field the
-- Java codec reads), walks the plan's lines in order as EligibilityEvaluator.evaluateHold does (usage, the other
-- live holds of the line's scope and the estimate against the cap), and only when every entry is usable and no
-- line denies: records the hold and increments the planned requests-per-minute counters, creating them with
-- their TTL.
--
-- All or nothing: the script first only reads; its first writes are the planned RPM counters' INCRs, which
-- refuse a key that cannot take them (another type, not an integer, or at the maximum) before writing. Such a
-- counter fails the call with QUOTA_WRONGTYPE and nothing is left written: a group counter already counted in
-- this call is undone, no hold is taken and none purged. A holds hash of another type is a foreign key: read
-- as empty and replaced.
--
-- The keys, arguments and reply are laid out by CheckArgs (Java), which documents them: a header, the plan's
-- entries (kind and schema version), its lines (a spec, then by kind the values a call changes), then the hold.
-- The fixed slots are named ($NOW, KEYS[$HOLDS], ARGV[tail + $ESTIMATE]) and replaced with their positions when
-- the script is assembled; no line or entry is numbered here.

local now = ARGV[$NOW]
local entries = ARGV[$ENTRY_KINDS]
local n_entries = #entries / 2
local tail = tonumber(ARGV[$TAIL])
-- the hold (from `tail`), then one scope key per hold scope
local n_scopes = #ARGV + 1 - (tail + $SCOPE_KEYS)

-- Each entry is read with HMGET of exactly the fields it is validated with and decoded from (q_read_entry);
-- the lines read its values by position, and they go back to Java in that order (joined, see the end). An entry
-- that is not usable is replaced in `vs` by what Java is told of it: 1 when any of its fields exists (another
-- schema version or corrupt: Java logs it), else 0 (absent). `vs` is built at the size of the reply's tail (the
-- entries, then the held amounts) so that it never grows; every slot is overwritten below.
local vs = { unpack(ARGV, 1, n_entries + n_scopes) }
local usable = true
for e = 1, n_entries do
  local kind, sv = q_byte(entries, 2 * e - 1, 2 * e)
  local _, v, ok = q_read_entry(kind, KEYS[$ENTRIES - 1 + e], q_char(sv), ARGV[$STATUSES])
  if not ok then
    usable = false
    local present = 0
    for i = 1, #v do
      if v[i] then
        present = 1
      end
    end
    v = present
  end
  vs[e] = v
end

-- Live holds of the user, summed per scope; expired or unreadable holds are purged.
local held = {}
local already_held = false
-- expired or unreadable holds to delete (or the whole foreign key), once the writes may start
local purge, purge_all = {}, false
local hold_id, estimate = ARGV[tail + $HOLD_ID], ARGV[tail + $ESTIMATE]
do
  -- the scope keys, and the amounts held in each; both tables built at their size (no growing)
  local scopes = { unpack(ARGV, tail + $SCOPE_KEYS) }
  held = { unpack(scopes) }
  for k = 1, n_scopes do
    held[k] = '0'
  end
  local _, flat, foreign = q_hash(KEYS[$HOLDS])
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

-- The lines, in the check order; the first that denies ends the walk. Line kinds (the spec's first byte): 'b'
-- (98) balance > 0 and held + estimate <= balance; 'a' (97) subscription active and strictly before
-- its expiry; 'w' (119) / 'e' a window's usage (zero once expired) against the cap the line carries ('w') or the
-- entry field it names ('e'). The spec's other bytes are small numbers sent as 48 + n: the entry, the hold scope,
-- then positions of fields in the entry's values.
local denied = not usable
local at = $LINES
while not denied and at < tail do
  local kind, e, scope, f1, f2, f3 = q_byte(ARGV[at], 1, -1)
  local v = vs[e - 48]
  scope = scope - 48
  at = at + 1
  if kind == 98 then
    local balance = v[f1 - 48]
    denied = q_cmp(balance, '0') <= 0
    if not denied then
      -- balance - held - estimate >= 0, i.e. held + estimate <= balance
      denied = q_cmp(q_add(held[scope], estimate), balance) > 0
    end
  elseif kind == 97 then
    -- SubscriptionState.isValidAt: valid only strictly before the expiry instant (now >= expires_at denies)
    denied = v[f1 - 48] ~= 'ACTIVE' or q_cmp(now, v[f2 - 48]) >= 0
  else
    local threshold, cap = ARGV[at], nil
    if kind == 119 then
      cap = ARGV[at + 1]
      at = at + 2
    else
      cap = v[f3 - 48]
      at = at + 1
    end
    if cap ~= '' then
      local used = '0'
      if not q_expired(v[f2 - 48], threshold) then
        used = v[f1 - 48]
      end
      if scope > 0 then
        denied = q_denies_hold(cap, used, held[scope], estimate)
      else
        denied = q_denies_spend(cap, used)
      end
    end
  end
end

local counted, group_count, user_count = 0, 0, 0
if not already_held and not denied then
  -- RPM last: every planned counter is incremented (the service compares the counts with the caps, group
  -- first), as the BillingCache contract and the in-memory fake do. Counted first of all writes, so that a
  -- counter that cannot take INCR leaves no hold written and none purged; the group counter this call counted
  -- is undone (q_uncount) when the user counter cannot be counted.
  if ARGV[$GROUP_RPM_CAP] ~= '' then
    group_count = q_incr(KEYS[$RPM_GROUP])
    if group_count == nil then
      return q_wrongtype(KEYS[$RPM_GROUP])
    end
  end
  if ARGV[$USER_RPM_CAP] ~= '' then
    user_count = q_incr(KEYS[$RPM_USER])
    if user_count == nil then
      if ARGV[$GROUP_RPM_CAP] ~= '' then
        q_uncount(KEYS[$RPM_GROUP], group_count)
      end
      return q_wrongtype(KEYS[$RPM_USER])
    end
  end
  q_counted(KEYS[$RPM_GROUP], group_count, ARGV[$RPM_TTL])
  q_counted(KEYS[$RPM_USER], user_count, ARGV[$RPM_TTL])
  counted = 1
end

if purge_all then
  redis.call('DEL', KEYS[$HOLDS])
else
  for i = 1, #purge do
    redis.call('HDEL', KEYS[$HOLDS], purge[i])
  end
end

local admitted = 0
if already_held then
  -- reserving an id that is already held changes nothing and reports it admitted
  admitted = 1
elseif not denied then
  local rec = { x = ARGV[tail + $HOLD_EXPIRY], e = estimate, s = {} }
  for k = 1, n_scopes do
    local s = ARGV[tail + ($SCOPE_KEYS - 1) + k]
    if s ~= '' then
      rec.s[#rec.s + 1] = s
    end
  end
  redis.call('HSET', KEYS[$HOLDS], hold_id, cjson.encode(rec))
  local ttl = tonumber(ARGV[tail + $HOLD_TTL])
  if redis.call('PTTL', KEYS[$HOLDS]) < ttl then
    redis.call('PEXPIRE', KEYS[$HOLDS], ttl)
  end
  admitted = 1
end

-- The entries, then the held amounts per scope. A usable entry goes back as one string, its
-- values joined with ',' in the order of its q_read_* fields: every value of a usable entry is present and none
-- holds a ',' (numbers, '' and a known status), and one bulk string costs redis-server and Java far less than a
-- nested array of one per field. An unusable entry stays 1 / 0 (see above).
for e = 1, n_entries do
  local v = vs[e]
  if type(v) == 'table' then
    vs[e] = table.concat(v, ',')
  end
end
for k = 1, n_scopes do
  vs[n_entries + k] = held[k]
end
return { counted, group_count, user_count, admitted, unpack(vs) }
