-- MySQL / MariaDB forms: native upserts with INSERT ... ON DUPLICATE KEY UPDATE (one atomic statement each).
-- Unqualified columns in ON DUPLICATE KEY UPDATE are the stored row, VALUES(col) the proposed one; SET
-- clauses are evaluated left to right, so a window's "used" is assigned before its "start".

-- name: balance.set.upsert
INSERT INTO ${prefix}balance (user_id, balance) VALUES (:userId, :amount)
ON DUPLICATE KEY UPDATE balance = VALUES(balance)

-- name: balance.credit.upsert
INSERT INTO ${prefix}balance (user_id, balance) VALUES (:userId, :amount)
ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance)

-- name: subscription.save.upsert
INSERT INTO ${prefix}subscription (user_id, group_id, status, expires_at, daily_used, daily_start,
                                   weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :groupId, :status, :expiresAt, :dailyUsed, :dailyStart, :weeklyUsed, :weeklyStart,
        :monthlyUsed, :monthlyStart)
ON DUPLICATE KEY UPDATE
    status = VALUES(status), expires_at = VALUES(expires_at),
    daily_used = VALUES(daily_used), daily_start = VALUES(daily_start),
    weekly_used = VALUES(weekly_used), weekly_start = VALUES(weekly_start),
    monthly_used = VALUES(monthly_used), monthly_start = VALUES(monthly_start)

-- name: window_counter.add.upsert
INSERT INTO ${prefix}window_counter (name, window_label, used, window_start)
VALUES (:name, :label, :amount, :newStart)
ON DUPLICATE KEY UPDATE
    used         = CASE WHEN window_start IS NULL OR window_start < :expiredBefore
                        THEN VALUES(used) ELSE used + VALUES(used) END,
    window_start = CASE WHEN window_start IS NULL OR window_start < :expiredBefore
                        THEN VALUES(window_start) ELSE window_start END,
    window_label = VALUES(window_label)

-- name: api_key_usage.add.upsert
INSERT INTO ${prefix}api_key_usage (api_key_id, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d,
                                    tpm_tokens, tpm_start)
VALUES (:apiKeyId, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart, :tokens,
        CASE WHEN :tokens > 0 THEN CAST(:tpmStart AS SIGNED) END)
ON DUPLICATE KEY UPDATE
    ${part.key_spend.on_duplicate},
    tpm_tokens = CASE WHEN VALUES(tpm_tokens) = 0 THEN tpm_tokens
                      WHEN tpm_start IS NULL OR tpm_start < :tpmExpired THEN VALUES(tpm_tokens)
                      ELSE tpm_tokens + VALUES(tpm_tokens) END,
    tpm_start  = CASE WHEN VALUES(tpm_tokens) = 0 THEN tpm_start
                      WHEN tpm_start IS NULL OR tpm_start < :tpmExpired THEN VALUES(tpm_start)
                      ELSE tpm_start END

-- name: api_key_model_usage.add.upsert
INSERT INTO ${prefix}api_key_model_usage (api_key_id, model, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d)
VALUES (:apiKeyId, :model, :cost, :w5hStart, :cost, :w1dStart, :cost, :w7dStart)
ON DUPLICATE KEY UPDATE
    ${part.key_spend.on_duplicate}

-- The three spend windows of an API key's row or of a key x model row when the row exists already.
-- name: part.key_spend.on_duplicate
    used_5h  = CASE WHEN start_5h IS NULL OR start_5h < :w5hExpired
                    THEN VALUES(used_5h) ELSE used_5h + VALUES(used_5h) END,
    start_5h = CASE WHEN start_5h IS NULL OR start_5h < :w5hExpired THEN VALUES(start_5h) ELSE start_5h END,
    used_1d  = CASE WHEN start_1d IS NULL OR start_1d < :w1dExpired
                    THEN VALUES(used_1d) ELSE used_1d + VALUES(used_1d) END,
    start_1d = CASE WHEN start_1d IS NULL OR start_1d < :w1dExpired THEN VALUES(start_1d) ELSE start_1d END,
    used_7d  = CASE WHEN start_7d IS NULL OR start_7d < :w7dExpired
                    THEN VALUES(used_7d) ELSE used_7d + VALUES(used_7d) END,
    start_7d = CASE WHEN start_7d IS NULL OR start_7d < :w7dExpired THEN VALUES(start_7d) ELSE start_7d END

-- name: platform_quota.set_limits.upsert
INSERT INTO ${prefix}platform_quota (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                     daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, :ownLimits, :dailyLimit, :weeklyLimit, :monthlyLimit, 0, NULL, 0, NULL, 0, NULL)
ON DUPLICATE KEY UPDATE
    own_limits = VALUES(own_limits), daily_limit = VALUES(daily_limit),
    weekly_limit = VALUES(weekly_limit), monthly_limit = VALUES(monthly_limit)

-- name: platform_quota.add_usage.upsert
INSERT INTO ${prefix}platform_quota (user_id, platform, own_limits, daily_limit, weekly_limit, monthly_limit,
                                     daily_used, daily_start, weekly_used, weekly_start, monthly_used, monthly_start)
VALUES (:userId, :platform, 0, NULL, NULL, NULL, :cost, :dailyStart, :cost, :weeklyStart, :cost, :monthlyStart)
ON DUPLICATE KEY UPDATE
    daily_used    = CASE WHEN daily_start IS NULL OR daily_start < :dailyExpired
                         THEN VALUES(daily_used) ELSE daily_used + VALUES(daily_used) END,
    daily_start   = CASE WHEN daily_start IS NULL OR daily_start < :dailyExpired
                         THEN VALUES(daily_start) ELSE daily_start END,
    weekly_used   = CASE WHEN weekly_start IS NULL OR weekly_start < :weeklyExpired
                         THEN VALUES(weekly_used) ELSE weekly_used + VALUES(weekly_used) END,
    weekly_start  = CASE WHEN weekly_start IS NULL OR weekly_start < :weeklyExpired
                         THEN VALUES(weekly_start) ELSE weekly_start END,
    monthly_used  = CASE WHEN monthly_start IS NULL OR monthly_start < :monthlyExpired
                         THEN VALUES(monthly_used) ELSE monthly_used + VALUES(monthly_used) END,
    monthly_start = CASE WHEN monthly_start IS NULL OR monthly_start < :monthlyExpired
                         THEN VALUES(monthly_start) ELSE monthly_start END

-- name: rpm_override.set.upsert
INSERT INTO ${prefix}rpm_override (user_id, group_id, rpm) VALUES (:userId, :groupId, :rpm)
ON DUPLICATE KEY UPDATE rpm = VALUES(rpm)

-- name: rollup.add.upsert
INSERT INTO ${prefix}usage_hourly (hour_start, user_id, model, requests, tokens, cost)
VALUES (:hour, :userId, :model, :requests, :tokens, :cost)
ON DUPLICATE KEY UPDATE
    requests = requests + VALUES(requests), tokens = tokens + VALUES(tokens), cost = cost + VALUES(cost)

-- name: stats.put.upsert
INSERT INTO ${prefix}stats_daily ${part.stats_daily.row}
ON DUPLICATE KEY UPDATE
    requests = VALUES(requests), success_requests = VALUES(success_requests),
    error_requests = VALUES(error_requests), input_tokens = VALUES(input_tokens),
    output_tokens = VALUES(output_tokens), cache_creation_tokens = VALUES(cache_creation_tokens),
    cache_read_tokens = VALUES(cache_read_tokens), total_cost = VALUES(total_cost),
    actual_cost = VALUES(actual_cost), input_cost = VALUES(input_cost), output_cost = VALUES(output_cost),
    cache_creation_cost = VALUES(cache_creation_cost), cache_read_cost = VALUES(cache_read_cost),
    response_time_ms_sum = VALUES(response_time_ms_sum), retried_requests = VALUES(retried_requests),
    distinct_models = VALUES(distinct_models), distinct_platforms = VALUES(distinct_platforms)
