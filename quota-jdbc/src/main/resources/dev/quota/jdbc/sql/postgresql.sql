-- PostgreSQL forms: native upserts with INSERT ... ON CONFLICT DO UPDATE (one atomic statement each).
-- In DO UPDATE, "t" is the stored row and EXCLUDED the proposed one.

-- name: balance.set.upsert
INSERT INTO ${prefix}balance AS t (user_id, balance) VALUES (:userId, :amount)
ON CONFLICT (user_id) DO UPDATE SET balance = EXCLUDED.balance

-- name: balance.credit.upsert
INSERT INTO ${prefix}balance AS t (user_id, balance) VALUES (:userId, :amount)
ON CONFLICT (user_id) DO UPDATE SET balance = t.balance + EXCLUDED.balance

-- name: subscription.save.upsert
INSERT INTO ${prefix}subscription AS t (user_id, group_id, status, expires_at, daily_used, daily_start,
                                        weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :groupId, :status, :expiresAt, :dailyUsed, :dailyStart, :weeklyUsed, :weeklyStart,
        :monthlyUsed, :monthlyStart)
ON CONFLICT (user_id, group_id) DO UPDATE SET
    status = EXCLUDED.status, expires_at = EXCLUDED.expires_at,
    daily_used = EXCLUDED.daily_used, daily_start = EXCLUDED.daily_start,
    weekly_used = EXCLUDED.weekly_used, weekly_start = EXCLUDED.weekly_start,
    monthly_used = EXCLUDED.monthly_used, monthly_start = EXCLUDED.monthly_start

-- name: window_counter.add.upsert
INSERT INTO ${prefix}window_counter AS t (name, window_label, used, window_start)
VALUES (:name, :label, :amount, :newStart)
ON CONFLICT (name) DO UPDATE SET
    used         = CASE WHEN t.window_start IS NULL OR t.window_start < :expiredBefore
                        THEN EXCLUDED.used ELSE t.used + EXCLUDED.used END,
    window_start = CASE WHEN t.window_start IS NULL OR t.window_start < :expiredBefore
                        THEN EXCLUDED.window_start ELSE t.window_start END,
    window_label = EXCLUDED.window_label

-- name: api_key_usage.add.upsert
INSERT INTO ${prefix}api_key_usage AS t (api_key_id, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d,
                                         tpm_tokens, tpm_start)
VALUES (:apiKeyId, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart, :tokens,
        CASE WHEN :tokens > 0 THEN CAST(:tpmStart AS BIGINT) END)
ON CONFLICT (api_key_id) DO UPDATE SET
    ${part.key_spend.on_conflict},
    tpm_tokens = CASE WHEN EXCLUDED.tpm_tokens = 0 THEN t.tpm_tokens
                      WHEN t.tpm_start IS NULL OR t.tpm_start < :tpmExpired THEN EXCLUDED.tpm_tokens
                      ELSE t.tpm_tokens + EXCLUDED.tpm_tokens END,
    tpm_start  = CASE WHEN EXCLUDED.tpm_tokens = 0 THEN t.tpm_start
                      WHEN t.tpm_start IS NULL OR t.tpm_start < :tpmExpired THEN EXCLUDED.tpm_start
                      ELSE t.tpm_start END

-- name: api_key_model_usage.add.upsert
INSERT INTO ${prefix}api_key_model_usage AS t (api_key_id, model, used_5h, start_5h, used_1d, start_1d, used_7d,
                                               start_7d)
VALUES (:apiKeyId, :model, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart)
ON CONFLICT (api_key_id, model) DO UPDATE SET
    ${part.key_spend.on_conflict}

-- The three spend windows of an API key's row or of a key x model row when the row exists already.
-- name: part.key_spend.on_conflict
    used_5h  = CASE WHEN t.start_5h IS NULL OR t.start_5h < :w5hExpired
                    THEN EXCLUDED.used_5h ELSE t.used_5h + EXCLUDED.used_5h END,
    start_5h = CASE WHEN t.start_5h IS NULL OR t.start_5h < :w5hExpired THEN EXCLUDED.start_5h ELSE t.start_5h END,
    used_1d  = CASE WHEN t.start_1d IS NULL OR t.start_1d < :w1dExpired
                    THEN EXCLUDED.used_1d ELSE t.used_1d + EXCLUDED.used_1d END,
    start_1d = CASE WHEN t.start_1d IS NULL OR t.start_1d < :w1dExpired THEN EXCLUDED.start_1d ELSE t.start_1d END,
    used_7d  = CASE WHEN t.start_7d IS NULL OR t.start_7d < :w7dExpired
                    THEN EXCLUDED.used_7d ELSE t.used_7d + EXCLUDED.used_7d END,
    start_7d = CASE WHEN t.start_7d IS NULL OR t.start_7d < :w7dExpired THEN EXCLUDED.start_7d ELSE t.start_7d END

-- name: platform_quota.set_limits.upsert
INSERT INTO ${prefix}platform_quota AS t (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                          daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, :ownLimits, :dailyLimit, :weeklyLimit, :monthlyLimit, 0, NULL, 0, NULL, 0, NULL)
ON CONFLICT (user_id, platform) DO UPDATE SET
    own_limits = EXCLUDED.own_limits, daily_limit = EXCLUDED.daily_limit,
    weekly_limit = EXCLUDED.weekly_limit, monthly_limit = EXCLUDED.monthly_limit

-- name: platform_quota.add_usage.upsert
INSERT INTO ${prefix}platform_quota AS t (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                          daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, 0, NULL, NULL, NULL, :cost, :dailyStart, :cost, :weeklyStart, :cost, :monthlyStart)
ON CONFLICT (user_id, platform) DO UPDATE SET
    daily_used    = CASE WHEN t.daily_start IS NULL OR t.daily_start < :dailyExpired
                         THEN EXCLUDED.daily_used ELSE t.daily_used + EXCLUDED.daily_used END,
    daily_start   = CASE WHEN t.daily_start IS NULL OR t.daily_start < :dailyExpired
                         THEN EXCLUDED.daily_start ELSE t.daily_start END,
    weekly_used   = CASE WHEN t.weekly_start IS NULL OR t.weekly_start < :weeklyExpired
                         THEN EXCLUDED.weekly_used ELSE t.weekly_used + EXCLUDED.weekly_used END,
    weekly_start  = CASE WHEN t.weekly_start IS NULL OR t.weekly_start < :weeklyExpired
                         THEN EXCLUDED.weekly_start ELSE t.weekly_start END,
    monthly_used  = CASE WHEN t.monthly_start IS NULL OR t.monthly_start < :monthlyExpired
                         THEN EXCLUDED.monthly_used ELSE t.monthly_used + EXCLUDED.monthly_used END,
    monthly_start = CASE WHEN t.monthly_start IS NULL OR t.monthly_start < :monthlyExpired
                         THEN EXCLUDED.monthly_start ELSE t.monthly_start END

-- name: rpm_override.set.upsert
INSERT INTO ${prefix}rpm_override AS t (user_id, group_id, rpm) VALUES (:userId, :groupId, :rpm)
ON CONFLICT (user_id, group_id) DO UPDATE SET rpm = EXCLUDED.rpm

-- name: rollup.add.upsert
INSERT INTO ${prefix}usage_hourly AS t (hour_start, user_id, model, requests, tokens, cost)
VALUES (:hour, :userId, :model, :requests, :tokens, :cost)
ON CONFLICT (hour_start, user_id, model) DO UPDATE SET
    requests = t.requests + EXCLUDED.requests, tokens = t.tokens + EXCLUDED.tokens, cost = t.cost + EXCLUDED.cost

-- name: stats.put.upsert
INSERT INTO ${prefix}stats_daily AS t ${part.stats_daily.row}
ON CONFLICT (stat_day, user_id) DO UPDATE SET
    requests = EXCLUDED.requests, success_requests = EXCLUDED.success_requests,
    error_requests = EXCLUDED.error_requests, input_tokens = EXCLUDED.input_tokens,
    output_tokens = EXCLUDED.output_tokens, cache_creation_tokens = EXCLUDED.cache_creation_tokens,
    cache_read_tokens = EXCLUDED.cache_read_tokens, total_cost = EXCLUDED.total_cost,
    actual_cost = EXCLUDED.actual_cost, input_cost = EXCLUDED.input_cost, output_cost = EXCLUDED.output_cost,
    cache_creation_cost = EXCLUDED.cache_creation_cost, cache_read_cost = EXCLUDED.cache_read_cost,
    response_time_ms_sum = EXCLUDED.response_time_ms_sum, retried_requests = EXCLUDED.retried_requests,
    distinct_models = EXCLUDED.distinct_models, distinct_platforms = EXCLUDED.distinct_platforms

-- The ledger's store of a batch (LedgerBatchStatement): ONE constant statement per batch, any batch size, so one
-- round trip. The events arrive as column arrays (the order of UsageSql.COLUMNS, then the roll-up hour, model and
-- tokens computed in Java); keys already stored are skipped by the unique key
-- (user_id, request_id) itself; "fresh" is exactly the rows this statement inserted, and ${counters} are the
-- catalog's counter upserts reading their rows from the usage.fresh.* sums below. RETURNING names the rows
-- inserted. The CTEs see one snapshot, but each counter statement is an ON CONFLICT DO UPDATE or an UPDATE,
-- which changes the newest version of a row a concurrent writer changed (READ COMMITTED).
-- name: usage.store_batch
WITH src AS (
    SELECT * FROM unnest(?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[],
                         ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],
                         ?::int8[], ?::int8[], ?::int4[], ?::int2[], ?::text[], ?::int8[], ?::int4[], ?::int8[],
                         ?::int8[], ?::text[], ?::int8[])
        AS s(${usageColumns}, rollup_hour, rollup_model, rollup_tokens)
), ins AS (
    INSERT INTO ${prefix}usage_log (${usageColumns})
    SELECT ${usageColumns} FROM src
    ON CONFLICT (user_id, request_id) DO NOTHING
    RETURNING user_id, request_id
), fresh AS (
    SELECT src.* FROM src JOIN ins ON src.user_id = ins.user_id AND src.request_id = ins.request_id COLLATE "C"
)${counters}
SELECT user_id, request_id FROM ins

-- The sums of the rows a batch inserted, one row per counter row (the columns are named like the parameters of
-- the counter statement they feed, sorted by its key so concurrent batches lock rows in one order).
-- name: usage.fresh.balance
SELECT user_id AS "userId", CAST(-SUM(actual_cost) AS BIGINT) AS "amount"
FROM fresh WHERE billing_mode = 'BALANCE' GROUP BY user_id ORDER BY user_id

-- name: usage.fresh.platform_quota
SELECT user_id AS "userId", platform AS "platform", CAST(SUM(actual_cost) AS BIGINT) AS "cost"
FROM fresh WHERE billing_mode = 'BALANCE' AND platform IS NOT NULL
GROUP BY user_id, platform ORDER BY user_id, platform COLLATE "C"

-- name: usage.fresh.subscription
SELECT user_id AS "userId", group_id AS "groupId", CAST(SUM(actual_cost) AS BIGINT) AS "cost"
FROM fresh WHERE billing_mode = 'SUBSCRIPTION' GROUP BY user_id, group_id ORDER BY user_id, group_id

-- The API key rows (api_key_usage.add.upsert): the cost of the key's events and their input + output tokens
-- (KeyUsage.countedTokens; an event without tokens adds none, and a key whose events have none leaves its minute).
-- name: usage.fresh.key_usage
SELECT api_key_id AS "apiKeyId", CAST(SUM(actual_cost) AS BIGINT) AS "cost",
       CAST(SUM(CASE WHEN input_tokens + output_tokens > 0 THEN input_tokens + output_tokens ELSE 0 END) AS BIGINT)
           AS "tokens"
FROM fresh WHERE billing_mode <> 'NONE' AND api_key_id IS NOT NULL GROUP BY api_key_id ORDER BY api_key_id

-- The API key x model rows (api_key_model_usage.add.upsert): events with a key and a model.
-- name: usage.fresh.key_model_usage
SELECT api_key_id AS "apiKeyId", model AS "model", CAST(SUM(actual_cost) AS BIGINT) AS "cost"
FROM fresh WHERE billing_mode <> 'NONE' AND api_key_id IS NOT NULL AND model IS NOT NULL
GROUP BY api_key_id, model ORDER BY api_key_id, model COLLATE "C"

-- name: usage.fresh.rollup
SELECT rollup_hour AS "hour", user_id AS "userId", rollup_model AS "model", COUNT(*) AS "requests",
       CAST(SUM(rollup_tokens) AS BIGINT) AS "tokens", CAST(SUM(actual_cost) AS BIGINT) AS "cost"
FROM fresh GROUP BY rollup_hour, user_id, rollup_model ORDER BY rollup_hour, user_id, rollup_model COLLATE "C"
