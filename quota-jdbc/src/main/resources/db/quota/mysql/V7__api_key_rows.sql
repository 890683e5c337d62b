-- Quota schema, version 7, MySQL/MariaDB: one row per API key and one per API key x model.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_"); ${collation} the exact
-- binary collation of version 1.
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
-- known window label last), so no other counter is touched (the key id is converted only from a matching name:
-- the server may compute the select list before the filter). The copies skip a row that exists already, so a run
-- cut short (MySQL runs DDL outside transactions) can be run again.
CREATE TABLE IF NOT EXISTS ${prefix}api_key_usage (
    api_key_id BIGINT NOT NULL PRIMARY KEY,
    used_5h    BIGINT NOT NULL, start_5h BIGINT,
    used_1d    BIGINT NOT NULL, start_1d BIGINT,
    used_7d    BIGINT NOT NULL, start_7d BIGINT,
    tpm_tokens BIGINT NOT NULL, tpm_start BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

CREATE TABLE IF NOT EXISTS ${prefix}api_key_model_usage (
    api_key_id BIGINT       NOT NULL,
    model      VARCHAR(128) NOT NULL,
    used_5h    BIGINT       NOT NULL, start_5h BIGINT,
    used_1d    BIGINT       NOT NULL, start_1d BIGINT,
    used_7d    BIGINT       NOT NULL, start_7d BIGINT,
    PRIMARY KEY (api_key_id, model)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

INSERT INTO ${prefix}api_key_usage (api_key_id, used_5h, start_5h, used_1d, start_1d, used_7d, start_7d,
                                    tpm_tokens, tpm_start)
SELECT key_id,
       COALESCE(MAX(CASE WHEN label = '5h' THEN used END), 0), MAX(CASE WHEN label = '5h' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '1d' THEN used END), 0), MAX(CASE WHEN label = '1d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '7d' THEN used END), 0), MAX(CASE WHEN label = '7d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = 'tpm' THEN used END), 0), MAX(CASE WHEN label = 'tpm' THEN window_start END)
FROM (SELECT CAST(CASE WHEN name REGEXP '^apikey:-?[0-9]{1,19}:(5h|1d|7d|tpm)$'
                       THEN SUBSTRING(name, 8, LOCATE(':', name, 8) - 8) END AS SIGNED) AS key_id,
             SUBSTRING(name, LOCATE(':', name, 8) + 1) AS label, used, window_start
      FROM ${prefix}window_counter WHERE name REGEXP '^apikey:-?[0-9]{1,19}:(5h|1d|7d|tpm)$') AS c
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}api_key_usage k WHERE k.api_key_id = c.key_id)
GROUP BY key_id;

INSERT INTO ${prefix}api_key_model_usage (api_key_id, model, used_5h, start_5h, used_1d, start_1d, used_7d,
                                          start_7d)
SELECT key_id, model,
       COALESCE(MAX(CASE WHEN label = '5h' THEN used END), 0), MAX(CASE WHEN label = '5h' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '1d' THEN used END), 0), MAX(CASE WHEN label = '1d' THEN window_start END),
       COALESCE(MAX(CASE WHEN label = '7d' THEN used END), 0), MAX(CASE WHEN label = '7d' THEN window_start END)
FROM (SELECT CAST(CASE WHEN name REGEXP '^apikey:-?[0-9]{1,19}:model:.+:(5h|1d|7d)$'
                       THEN SUBSTRING(name, 8, LOCATE(':', name, 8) - 8) END AS SIGNED) AS key_id,
             SUBSTRING(name, LOCATE(':', name, 8) + 7, CHAR_LENGTH(name) - LOCATE(':', name, 8) - 9) AS model,
             RIGHT(name, 2) AS label, used, window_start
      FROM ${prefix}window_counter WHERE name REGEXP '^apikey:-?[0-9]{1,19}:model:.+:(5h|1d|7d)$') AS c
WHERE NOT EXISTS (SELECT 1 FROM ${prefix}api_key_model_usage m WHERE m.api_key_id = c.key_id AND m.model = c.model)
GROUP BY key_id, model;

DELETE FROM ${prefix}window_counter
WHERE name REGEXP '^apikey:-?[0-9]{1,19}:(5h|1d|7d|tpm)$'
   OR name REGEXP '^apikey:-?[0-9]{1,19}:model:.+:(5h|1d|7d)$';
