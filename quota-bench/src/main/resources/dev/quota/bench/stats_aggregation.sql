-- Statements of StatsAggregationBench. Each starts at a "-- name: key" line; ${prefix} is the table prefix.
-- :from / :to are the business day's bounds in epoch ms, :n the rows to generate, :user a user id.

-- The day's ledger, generated in the database. Row g (1..n): user 1 + g % users, 3 platforms, 12 models,
-- every 20th an error (HTTP 500), every 10th needed a second upstream attempt; times spread evenly over the day.

-- name: fill.postgresql
INSERT INTO ${prefix}usage_log (request_id, user_id, api_key_id, account_id, group_id, billing_mode, platform, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost,
    output_cost, cache_creation_cost, cache_read_cost, http_status, is_error, error_message, response_time_ms,
    attempts, occurred_at)
SELECT 'agg-' || g, 1 + g % :users, 10 * (1 + g % :users), 1 + g % 50, 1, 'BALANCE',
       CASE g % 3 WHEN 0 THEN 'anthropic' WHEN 1 THEN 'openai' ELSE 'gemini' END,
       'model-' || (g % 12), 1000 + g % 500, 200 + g % 100, 0, 0, 8100000 + g % 7, 8100000 + g % 7, 0, 0, 0, 0,
       CASE WHEN g % 20 = 0 THEN 500 ELSE 200 END, CASE WHEN g % 20 = 0 THEN 1 ELSE 0 END, NULL, 500 + g % 300,
       CASE WHEN g % 10 = 0 THEN 2 ELSE 1 END, :from + (g - 1) * ((:to - :from) / :n)
FROM generate_series(1, :n) AS g

-- name: fill.h2
INSERT INTO ${prefix}usage_log (request_id, user_id, api_key_id, account_id, group_id, billing_mode, platform, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost,
    output_cost, cache_creation_cost, cache_read_cost, http_status, is_error, error_message, response_time_ms,
    attempts, occurred_at)
SELECT CONCAT('agg-', X), 1 + MOD(X, :users), 10 * (1 + MOD(X, :users)), 1 + MOD(X, 50), 1, 'BALANCE',
       CASE MOD(X, 3) WHEN 0 THEN 'anthropic' WHEN 1 THEN 'openai' ELSE 'gemini' END,
       CONCAT('model-', MOD(X, 12)), 1000 + MOD(X, 500), 200 + MOD(X, 100), 0, 0, 8100000 + MOD(X, 7), 8100000 + MOD(X, 7),
       0, 0, 0, 0, CASE WHEN MOD(X, 20) = 0 THEN 500 ELSE 200 END, CASE WHEN MOD(X, 20) = 0 THEN 1 ELSE 0 END, NULL,
       500 + MOD(X, 300), CASE WHEN MOD(X, 10) = 0 THEN 2 ELSE 1 END, :from + (X - 1) * ((:to - :from) / :n)
FROM SYSTEM_RANGE(1, :n)

-- The seed's way (stats_aggregator.py): one query per figure. The day's global figures:

-- name: seed.count
SELECT COUNT(*) FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to

-- name: seed.errors
SELECT COUNT(*) FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to
AND (http_status >= 400 OR error_message IS NOT NULL)

-- name: seed.sums
SELECT SUM(input_tokens), SUM(output_tokens), SUM(cache_creation_tokens), SUM(cache_read_tokens), SUM(total_cost),
       SUM(actual_cost), SUM(input_cost), SUM(output_cost), SUM(cache_creation_cost), SUM(cache_read_cost),
       SUM(response_time_ms)
FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to

-- name: seed.fallback
SELECT COUNT(*) FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to AND attempts > 1

-- name: seed.models
SELECT COUNT(DISTINCT model) FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to

-- name: seed.providers
SELECT COUNT(DISTINCT platform) FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to

-- The users of the day, then per user (aggregate_user_daily_stats): count, errors, sums.

-- name: seed.users
SELECT DISTINCT user_id FROM ${prefix}usage_log WHERE occurred_at >= :from AND occurred_at < :to ORDER BY user_id

-- name: seed.user_count
SELECT COUNT(*) FROM ${prefix}usage_log WHERE user_id = :user AND occurred_at >= :from AND occurred_at < :to

-- name: seed.user_errors
SELECT COUNT(*) FROM ${prefix}usage_log WHERE user_id = :user AND occurred_at >= :from AND occurred_at < :to
AND (http_status >= 400 OR error_message IS NOT NULL)

-- name: seed.user_sums
SELECT SUM(input_tokens), SUM(output_tokens), SUM(cache_creation_tokens), SUM(cache_read_tokens), SUM(total_cost)
FROM ${prefix}usage_log WHERE user_id = :user AND occurred_at >= :from AND occurred_at < :to
