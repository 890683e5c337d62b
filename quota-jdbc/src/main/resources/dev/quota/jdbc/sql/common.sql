-- Statements shared by every dialect. Each starts at a "-- name: key" line; ${prefix} is the table prefix.
-- Upserts are "<op>.update" then, when no row matched, "<op>.insert" (retried on a lost insert race),
-- unless the dialect file defines a native "<op>.upsert".
-- In every UPDATE, a window's "used" column is assigned before its "start" column: MySQL evaluates
-- single-table SET clauses left to right, so "used" must still see the old start.

-- name: ping
SELECT COUNT(*) FROM ${prefix}balance WHERE 1 = 0

-- name: balance.find
SELECT balance FROM ${prefix}balance WHERE user_id = :userId

-- name: balance.set.update
UPDATE ${prefix}balance SET balance = :amount WHERE user_id = :userId

-- name: balance.set.insert
INSERT INTO ${prefix}balance (user_id, balance) VALUES (:userId, :amount)

-- name: balance.credit.update
UPDATE ${prefix}balance SET balance = balance + :amount WHERE user_id = :userId

-- name: balance.credit.insert
INSERT INTO ${prefix}balance (user_id, balance) VALUES (:userId, :amount)

-- name: balance.deduct
UPDATE ${prefix}balance SET balance = balance - :amount WHERE user_id = :userId

-- name: balance.deduct_if_at_least
UPDATE ${prefix}balance SET balance = balance - :amount WHERE user_id = :userId AND balance >= :required

-- name: balance_operation.find
SELECT 1 FROM ${prefix}balance_operation WHERE user_id = :userId AND operation_id = :operationId

-- name: balance_operation.insert
INSERT INTO ${prefix}balance_operation (user_id, operation_id, amount, created_at)
VALUES (:userId, :operationId, :amount, :createdAt)

-- name: subscription.find
SELECT user_id, group_id, status, expires_at, daily_used, daily_start, weekly_used, weekly_start,
       monthly_used, monthly_start
FROM ${prefix}subscription WHERE user_id = :userId AND group_id = :groupId

-- name: subscription.save.update
UPDATE ${prefix}subscription
SET status = :status, expires_at = :expiresAt,
    daily_used = :dailyUsed, daily_start = :dailyStart,
    weekly_used = :weeklyUsed, weekly_start = :weeklyStart,
    monthly_used = :monthlyUsed, monthly_start = :monthlyStart
WHERE user_id = :userId AND group_id = :groupId

-- name: subscription.save.insert
INSERT INTO ${prefix}subscription (user_id, group_id, status, expires_at, daily_used, daily_start,
                                   weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :groupId, :status, :expiresAt, :dailyUsed, :dailyStart, :weeklyUsed, :weeklyStart,
        :monthlyUsed, :monthlyStart)

-- name: subscription.add_usage
UPDATE ${prefix}subscription SET
    ${part.calendar_usage.set}
WHERE user_id = :userId AND group_id = :groupId

-- name: window_counter.find
SELECT used, window_start FROM ${prefix}window_counter WHERE name = :name

-- name: window_counter.add.update
UPDATE ${prefix}window_counter SET
    used         = CASE WHEN window_start IS NULL OR window_start < :expiredBefore THEN :amount ELSE used + :amount END,
    window_start = CASE WHEN window_start IS NULL OR window_start < :expiredBefore THEN :newStart ELSE window_start END,
    window_label = :label
WHERE name = :name

-- name: window_counter.add.insert
INSERT INTO ${prefix}window_counter (name, window_label, used, window_start)
VALUES (:name, :label, :amount, :newStart)

-- An API key's windows (schema version 7: one row per key, ApiKeyRows): the rolling 5 h / 1 d / 7 d spend and the
-- input + output tokens of the current minute. :cost is added to the three spend windows; :tokens to the minute
-- only when > 0 (an event without tokens leaves the minute as it is). A window whose start is NULL or before
-- :w<w>Expired (<w>: 5h, 1d, 7d; the minute: :tpmExpired) restarts at :w<w>Start (:tpmStart) with the amount alone;
-- the bounds are computed in Java (Window).
-- name: api_key_usage.find
SELECT used_5h, start_5h, used_1d, start_1d, used_7d, start_7d, tpm_tokens, tpm_start
FROM ${prefix}api_key_usage WHERE api_key_id = :apiKeyId

-- name: api_key_usage.add.update
UPDATE ${prefix}api_key_usage SET
    ${part.key_spend.set},
    tpm_tokens = CASE WHEN :tokens = 0 THEN tpm_tokens
                      WHEN tpm_start IS NULL OR tpm_start < :tpmExpired THEN :tokens ELSE tpm_tokens + :tokens END,
    tpm_start  = CASE WHEN :tokens = 0 THEN tpm_start
                      WHEN tpm_start IS NULL OR tpm_start < :tpmExpired THEN :tpmStart ELSE tpm_start END
WHERE api_key_id = :apiKeyId

-- name: api_key_usage.add.insert
INSERT INTO ${prefix}api_key_usage (api_key_id, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d,
                                    tpm_tokens, tpm_start)
VALUES (:apiKeyId, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart, :tokens,
        CASE WHEN :tokens > 0 THEN CAST(:tpmStart AS BIGINT) END)

-- An API key's windows on one model (schema version 7: one row per key and model): the same spend windows and
-- rules as the key's own.
-- name: api_key_model_usage.find
SELECT used_5h, start_5h, used_1d, start_1d, used_7d, start_7d
FROM ${prefix}api_key_model_usage WHERE api_key_id = :apiKeyId AND model = :model

-- name: api_key_model_usage.add.update
UPDATE ${prefix}api_key_model_usage SET
    ${part.key_spend.set}
WHERE api_key_id = :apiKeyId AND model = :model

-- name: api_key_model_usage.add.insert
INSERT INTO ${prefix}api_key_model_usage (api_key_id, model, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d)
VALUES (:apiKeyId, :model, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart)

-- The daily / weekly / monthly usage windows of a subscription or a user x platform quota row (the SET list of
-- subscription.add_usage and platform_quota.add_usage.update): an absent or expired window restarts at the cost.
-- name: part.calendar_usage.set
    daily_used    = CASE WHEN daily_start IS NULL OR daily_start < :dailyExpired THEN :cost ELSE daily_used + :cost END,
    daily_start   = CASE WHEN daily_start IS NULL OR daily_start < :dailyExpired THEN :dailyStart ELSE daily_start END,
    weekly_used   = CASE WHEN weekly_start IS NULL OR weekly_start < :weeklyExpired THEN :cost ELSE weekly_used + :cost END,
    weekly_start  = CASE WHEN weekly_start IS NULL OR weekly_start < :weeklyExpired THEN :weeklyStart ELSE weekly_start END,
    monthly_used  = CASE WHEN monthly_start IS NULL OR monthly_start < :monthlyExpired THEN :cost ELSE monthly_used + :cost END,
    monthly_start = CASE WHEN monthly_start IS NULL OR monthly_start < :monthlyExpired THEN :monthlyStart ELSE monthly_start END

-- The three spend windows of an API key's row or of a key x model row (the SET list of both .add.update).
-- name: part.key_spend.set
    used_5h  = CASE WHEN start_5h IS NULL OR start_5h < :w5hExpired THEN :cost ELSE used_5h + :cost END,
    start_5h = CASE WHEN start_5h IS NULL OR start_5h < :w5hExpired THEN :w5hStart ELSE start_5h END,
    used_1d  = CASE WHEN start_1d IS NULL OR start_1d < :w1dExpired THEN :cost ELSE used_1d + :cost END,
    start_1d = CASE WHEN start_1d IS NULL OR start_1d < :w1dExpired THEN :w1dStart ELSE start_1d END,
    used_7d  = CASE WHEN start_7d IS NULL OR start_7d < :w7dExpired THEN :cost ELSE used_7d + :cost END,
    start_7d = CASE WHEN start_7d IS NULL OR start_7d < :w7dExpired THEN :w7dStart ELSE start_7d END

-- name: platform_quota.find
SELECT user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit, daily_used, daily_start,
       weekly_used, weekly_start, monthly_used, monthly_start
FROM ${prefix}platform_quota WHERE user_id = :userId AND platform = :platform

-- name: platform_quota.set_limits.update
UPDATE ${prefix}platform_quota
SET own_limits = :ownLimits, daily_limit = :dailyLimit, weekly_limit = :weeklyLimit, monthly_limit = :monthlyLimit
WHERE user_id = :userId AND platform = :platform

-- name: platform_quota.set_limits.insert
INSERT INTO ${prefix}platform_quota (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                     daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, :ownLimits, :dailyLimit, :weeklyLimit, :monthlyLimit, 0, NULL, 0, NULL, 0, NULL)

-- name: platform_quota.add_usage.update
UPDATE ${prefix}platform_quota SET
    ${part.calendar_usage.set}
WHERE user_id = :userId AND platform = :platform

-- name: platform_quota.add_usage.insert
INSERT INTO ${prefix}platform_quota (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                     daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, 0, NULL, NULL, NULL, :cost, :dailyStart, :cost, :weeklyStart, :cost, :monthlyStart)

-- name: platform_quota_default.all
SELECT auth_source, platform, daily_limit, weekly_limit, monthly_limit
FROM ${prefix}platform_quota_default ORDER BY auth_source, platform

-- name: platform_quota_default.delete_all
DELETE FROM ${prefix}platform_quota_default

-- name: platform_quota_default.insert
INSERT INTO ${prefix}platform_quota_default (auth_source, platform, daily_limit, weekly_limit, monthly_limit)
VALUES (:authSource, :platform, :dailyLimit, :weeklyLimit, :monthlyLimit)

-- name: rpm_override.find
SELECT rpm FROM ${prefix}rpm_override WHERE user_id = :userId AND group_id = :groupId

-- name: rpm_override.set.update
UPDATE ${prefix}rpm_override SET rpm = :rpm WHERE user_id = :userId AND group_id = :groupId

-- name: rpm_override.set.insert
INSERT INTO ${prefix}rpm_override (user_id, group_id, rpm) VALUES (:userId, :groupId, :rpm)

-- name: rpm_override.remove
DELETE FROM ${prefix}rpm_override WHERE user_id = :userId AND group_id = :groupId

-- name: rollup.add.update
UPDATE ${prefix}usage_hourly
SET requests = requests + :requests, tokens = tokens + :tokens, cost = cost + :cost
WHERE hour_start = :hour AND user_id = :userId AND model = :model

-- name: rollup.add.insert
INSERT INTO ${prefix}usage_hourly (hour_start, user_id, model, requests, tokens, cost)
VALUES (:hour, :userId, :model, :requests, :tokens, :cost)

-- name: rollup.find_all
SELECT hour_start, user_id, model, requests, tokens, cost FROM ${prefix}usage_hourly
WHERE hour_start >= :from AND hour_start < :to ORDER BY hour_start, user_id, model

-- name: rollup.find_user
SELECT hour_start, user_id, model, requests, tokens, cost FROM ${prefix}usage_hourly
WHERE user_id = :userId AND hour_start >= :from AND hour_start < :to ORDER BY hour_start, user_id, model

-- name: rollup.delete_range
DELETE FROM ${prefix}usage_hourly WHERE hour_start >= :from AND hour_start < :to

-- name: stats.put.update
UPDATE ${prefix}stats_daily
SET requests = :requests, success_requests = :successRequests, error_requests = :errorRequests,
    input_tokens = :inputTokens, output_tokens = :outputTokens, cache_creation_tokens = :cacheCreationTokens,
    cache_read_tokens = :cacheReadTokens, total_cost = :totalCost, actual_cost = :actualCost,
    input_cost = :inputCost, output_cost = :outputCost, cache_creation_cost = :cacheCreationCost,
    cache_read_cost = :cacheReadCost, response_time_ms_sum = :responseTimeMsSum,
    retried_requests = :retriedRequests, distinct_models = :distinctModels, distinct_platforms = :distinctPlatforms
WHERE stat_day = :day AND user_id = :userId

-- name: stats.put.insert
INSERT INTO ${prefix}stats_daily ${part.stats_daily.row}

-- One row of stats_daily, columns then values: what stats.put writes (stats.put.insert, or a dialect's upsert).
-- name: part.stats_daily.row
(stat_day, user_id, requests, success_requests, error_requests, input_tokens, output_tokens, cache_creation_tokens,
 cache_read_tokens, total_cost, actual_cost, input_cost, output_cost, cache_creation_cost, cache_read_cost,
 response_time_ms_sum, retried_requests, distinct_models, distinct_platforms)
VALUES (:day, :userId, :requests, :successRequests, :errorRequests, :inputTokens, :outputTokens,
        :cacheCreationTokens, :cacheReadTokens, :totalCost, :actualCost, :inputCost, :outputCost,
        :cacheCreationCost, :cacheReadCost, :responseTimeMsSum, :retriedRequests, :distinctModels,
        :distinctPlatforms)

-- name: stats.find
SELECT stat_day, user_id, requests, success_requests, error_requests, input_tokens, output_tokens,
       cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost, output_cost,
       cache_creation_cost, cache_read_cost, response_time_ms_sum, retried_requests, distinct_models,
       distinct_platforms
FROM ${prefix}stats_daily WHERE stat_day = :day AND user_id = :userId

-- name: stats.range
SELECT stat_day, user_id, requests, success_requests, error_requests, input_tokens, output_tokens,
       cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost, output_cost,
       cache_creation_cost, cache_read_cost, response_time_ms_sum, retried_requests, distinct_models,
       distinct_platforms
FROM ${prefix}stats_daily WHERE user_id = :userId AND stat_day >= :from AND stat_day < :to ORDER BY stat_day

-- The one persisted summary (id = 1).

-- name: stats.summary.update
UPDATE ${prefix}stats_summary
SET cutoff_day = :day, requests = :requests, success_requests = :successRequests, error_requests = :errorRequests,
    input_tokens = :inputTokens, output_tokens = :outputTokens, cache_creation_tokens = :cacheCreationTokens,
    cache_read_tokens = :cacheReadTokens, total_cost = :totalCost, actual_cost = :actualCost,
    input_cost = :inputCost, output_cost = :outputCost, cache_creation_cost = :cacheCreationCost,
    cache_read_cost = :cacheReadCost, response_time_ms_sum = :responseTimeMsSum,
    retried_requests = :retriedRequests, total_users = :totalUsers, active_users = :activeUsers,
    total_api_keys = :totalApiKeys, active_api_keys = :activeApiKeys
WHERE id = 1

-- name: stats.summary.insert
INSERT INTO ${prefix}stats_summary (id, cutoff_day, requests, success_requests, error_requests, input_tokens,
                                    output_tokens, cache_creation_tokens, cache_read_tokens, total_cost,
                                    actual_cost, input_cost, output_cost, cache_creation_cost, cache_read_cost,
                                    response_time_ms_sum, retried_requests, total_users, active_users,
                                    total_api_keys, active_api_keys)
VALUES (1, :day, :requests, :successRequests, :errorRequests, :inputTokens, :outputTokens, :cacheCreationTokens,
        :cacheReadTokens, :totalCost, :actualCost, :inputCost, :outputCost, :cacheCreationCost, :cacheReadCost,
        :responseTimeMsSum, :retriedRequests, :totalUsers, :activeUsers, :totalApiKeys, :activeApiKeys)

-- name: stats.summary.find
SELECT cutoff_day AS stat_day, requests, success_requests, error_requests, input_tokens, output_tokens,
       cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost, output_cost,
       cache_creation_cost, cache_read_cost, response_time_ms_sum, retried_requests, total_users, active_users,
       total_api_keys, active_api_keys
FROM ${prefix}stats_summary WHERE id = 1

-- One business day aggregated in the database (StatsAggregator through JdbcUsageAggregates): one row per user
-- with the usage totals, the retried requests and the distinct models and platforms (COUNT(DISTINCT) ignores
-- NULL, as the Java tally does; grouped by user it runs on the (user_id, occurred_at) index), and the day's
-- (model, platform) pairs, from which Java counts the global distinct models and platforms (a hash aggregate,
-- where a global COUNT(DISTINCT) would sort the whole day). The global totals are the sum of the users' rows.

-- name: stats.day_by_user
SELECT user_id, ${totals},
       COALESCE(SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), 0) AS retried_requests,
       COUNT(DISTINCT model) AS distinct_models, COUNT(DISTINCT platform) AS distinct_platforms
FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to
GROUP BY user_id ORDER BY user_id

-- name: stats.day_models_platforms
SELECT model, platform FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to
GROUP BY model, platform

-- name: stats.earliest
SELECT MIN(occurred_at) AS earliest FROM ${prefix}usage_log

-- name: usage.find
SELECT ${usageColumns} FROM ${prefix}usage_log WHERE user_id = :userId AND request_id = :requestId

-- name: usage.list
SELECT ${usageColumns} FROM ${prefix}usage_log WHERE ${where}
ORDER BY occurred_at DESC, request_id ASC, user_id ASC LIMIT :limit OFFSET :offset

-- name: usage.count
SELECT COUNT(*) AS n FROM ${prefix}usage_log WHERE ${where}

-- name: usage.totals
SELECT ${totals} FROM ${prefix}usage_log WHERE ${where}

-- Reporting. ${unit} is a bucket length in milliseconds computed in Java (it divides one hour and every UTC
-- offset the business zone has in the range), so that each small bucket lies inside one business-zone hour,
-- day or week; the Java side folds the small buckets into those.

-- name: report.buckets
SELECT b, ${totals}
FROM (SELECT occurred_at - MOD(occurred_at, ${unit}) AS b, u.* FROM ${prefix}usage_log u WHERE ${where}) x
GROUP BY b

-- name: report.buckets_by_key
SELECT api_key_id AS id, b, ${totals}
FROM (SELECT occurred_at - MOD(occurred_at, ${unit}) AS b, u.* FROM ${prefix}usage_log u WHERE ${where}) x
GROUP BY api_key_id, b

-- name: report.buckets_by_user
SELECT user_id AS id, b, ${totals}
FROM (SELECT occurred_at - MOD(occurred_at, ${unit}) AS b, u.* FROM ${prefix}usage_log u WHERE ${where}) x
GROUP BY user_id, b

-- name: report.top_keys
SELECT api_key_id AS id, SUM(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens) AS tokens
FROM ${prefix}usage_log WHERE ${where} AND api_key_id IS NOT NULL
GROUP BY api_key_id ORDER BY tokens DESC, id ASC LIMIT :limit

-- name: report.top_users
SELECT user_id AS id, SUM(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens) AS tokens
FROM ${prefix}usage_log WHERE ${where}
GROUP BY user_id ORDER BY tokens DESC, id ASC LIMIT :limit

-- name: report.totals_by_key
SELECT api_key_id AS id, ${totals} FROM ${prefix}usage_log WHERE ${where} GROUP BY api_key_id

-- name: report.totals_by_user
SELECT user_id AS id, ${totals} FROM ${prefix}usage_log WHERE ${where} GROUP BY user_id

-- name: report.by_model
SELECT model, ${totals} FROM ${prefix}usage_log WHERE ${where} GROUP BY model

-- name: report.distinct
SELECT COUNT(DISTINCT user_id) AS users, COUNT(DISTINCT api_key_id) AS api_keys
FROM ${prefix}usage_log WHERE ${where}

-- Dead letters: events the database refused as data. Text arrives escaped (DeadLetters.escape).

-- name: dead_letter.insert
INSERT INTO ${prefix}usage_dead_letter (user_id, request_id, payload, error, created_at)
VALUES (:userId, :requestId, :payload, :error, :createdAt)
