-- Quota schema, version 7, PostgreSQL: one row per API key and one per API key x model.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- Until version 6 a stored event with an API key and a model moved SEVEN rows of window_counter (keyed by a text
-- name): apikey:<id>:5h, apikey:<id>:1d, apikey:<id>:7d, apikey:<id>:tpm and apikey:<id>:model:<model>:5h / 1d /
-- 7d. Now it moves two:
--
-- 1. api_key_usage, one row per API key (key: api_key_id alone, as the counters were: a key's windows are the
--    key's, whichever user's events moved them, and the counter names held no user id to migrate): the spend in
--    the rolling 5 h / 1 d / 7 d windows (nano-units) with each window's start, and the input + output tokens of
--    the current epoch-aligned minute with that minute's start. A start is NULL until the window's first usage.
-- 2. api_key_model_usage, one row per API key and model (key: api_key_id, model): the key's spend on that model
--    in its 5 h / 1 d / 7 d windows. A table of its own rather than a model '' row in the first one: the key's
--    row, read on every check with a key, stays narrow with a plain BIGINT key, and a model row carries no token
--    columns.
--
-- The existing counters move exactly: each apikey:<id>:<window> and apikey:<id>:model:<model>:<window> counter
-- of window_counter becomes the matching column pair (used, start) of its key's or key x model's row, values and
-- window starts unchanged (a window of a key without a counter is 0 and NULL), and is then deleted from
-- window_counter, which keeps holding generic counters only. Names are matched exactly (a key id of digits, a
-- known window label last), so no other counter is touched. Both tables keep half of each page free (fillfactor
-- 50, as the other counter tables since version 5): an update changes no indexed column, so it stays a HOT update.
CREATE TABLE IF NOT EXISTS ${prefix}api_key_usage (
    api_key_id BIGINT NOT NULL PRIMARY KEY,
    used_5h    BIGINT NOT NULL, start_5h BIGINT,
    used_1d    BIGINT NOT NULL, start_1d BIGINT,
    used_7d    BIGINT NOT NULL, start_7d BIGINT,
    tpm_tokens BIGINT NOT NULL, tpm_start BIGINT
) WITH (fillfactor = 50);

CREATE TABLE IF NOT EXISTS ${prefix}api_key_model_usage (
    api_key_id BIGINT                   NOT NULL,
    model      VARCHAR(128) COLLATE "C" NOT NULL,
    used_5h    BIGINT                   NOT NULL, start_5h BIGINT,
    used_1d    BIGINT                   NOT NULL, start_1d BIGINT,
    used_7d    BIGINT                   NOT NULL, start_7d BIGINT,
    PRIMARY KEY (api_key_id, model)
) WITH (fillfactor = 50);

INSERT INTO ${prefix}api_key_usage (api_key_id, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d,
                                    tpm_tokens, tpm_start)
SELECT key_id,
       COALESCE(MAX(CASE WHEN label = '5h' THEN used END), 0), MAX(CASE WHEN label = '5h' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '1d' THEN used END), 0), MAX(CASE WHEN label = '1d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '7d' THEN used END), 0), MAX(CASE WHEN label = '7d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = 'tpm' THEN used END), 0), MAX(CASE WHEN label = 'tpm' THEN window_start END)
FROM (SELECT CAST(split_part(name, ':', 2) AS BIGINT) AS key_id, split_part(name, ':', 3) AS label, used,
             window_start
      FROM ${prefix}window_counter WHERE name ~ '^apikey:-?[0-9]{1,19}:(5h|1d|7d|tpm)$') AS c
GROUP BY key_id
ON CONFLICT (api_key_id) DO NOTHING;

INSERT INTO ${prefix}api_key_model_usage (api_key_id, model, used_5h, start_5h, used_1d, start_1d, used_7d,
                                          start_7d)
SELECT key_id, model,
       COALESCE(MAX(CASE WHEN label = '5h' THEN used END), 0), MAX(CASE WHEN label = '5h' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '1d' THEN used END), 0), MAX(CASE WHEN label = '1d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '7d' THEN used END), 0), MAX(CASE WHEN label = '7d' THEN window_start END)
FROM (SELECT CAST(split_part(name, ':', 2) AS BIGINT) AS key_id,
             substring(name FROM '^apikey:-?[0-9]+:model:(.*):(?:5h|1d|7d)$') AS model, right(name, 2) AS label,
             used, window_start
      FROM ${prefix}window_counter WHERE name ~ '^apikey:-?[0-9]{1,19}:model:.+:(5h|1d|7d)$') AS c
GROUP BY key_id, model
ON CONFLICT (api_key_id, model) DO NOTHING;

DELETE FROM ${prefix}window_counter
WHERE name ~ '^apikey:-?[0-9]{1,19}:(5h|1d|7d|tpm)$' OR name ~ '^apikey:-?[0-9]{1,19}:model:.+:(5h|1d|7d)$';
