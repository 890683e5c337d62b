INSERT INTO ${prefix}usage_log (request_id, user_id, api_key_id, account_id, group_id, billing_mode, platform, model,
    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_cost, actual_cost, input_cost,
    output_cost, cache_creation_cost, cache_read_cost, http_status, is_error, error_message, response_time_ms,
    attempts, occurred_at)
VALUES (?, ?, ?, NULL, NULL, 'BALANCE', ?, ?, ?, ?, 0, 0, ?, ?, 0, 0, 0, 0, 200, 0, NULL, ?, 1, ?)
