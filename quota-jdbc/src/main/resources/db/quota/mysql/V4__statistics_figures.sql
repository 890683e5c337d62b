-- Quota schema, version 4, MySQL 8 / MariaDB 10.5+: the statistics the seeds have and version 1 lacked.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_"); ${collation} as in V1.
--
-- 1. Every daily statistics row (global and per user) also carries the requests that needed more than one
--    upstream attempt and the distinct models and platforms of its day. Rows aggregated before this version
--    read 0 until their day is aggregated again (StatsAggregator.backfill does that).
-- 2. The all-time summary is persisted in one row (id = 1) with its cutoff day (yyyymmdd in the business zone,
--    exclusive) and the gateway's user and API-key counts at refresh time.

ALTER TABLE ${prefix}stats_daily
    ADD COLUMN retried_requests   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN distinct_models    BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN distinct_platforms BIGINT NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS ${prefix}stats_summary (
    id                    INT    NOT NULL PRIMARY KEY,
    cutoff_day            INT    NOT NULL,
    requests              BIGINT NOT NULL,
    success_requests      BIGINT NOT NULL,
    error_requests        BIGINT NOT NULL,
    input_tokens          BIGINT NOT NULL,
    output_tokens         BIGINT NOT NULL,
    cache_creation_tokens BIGINT NOT NULL,
    cache_read_tokens     BIGINT NOT NULL,
    total_cost            BIGINT NOT NULL,
    actual_cost           BIGINT NOT NULL,
    input_cost            BIGINT NOT NULL,
    output_cost           BIGINT NOT NULL,
    cache_creation_cost   BIGINT NOT NULL,
    cache_read_cost       BIGINT NOT NULL,
    response_time_ms_sum  BIGINT NOT NULL,
    retried_requests      BIGINT NOT NULL,
    total_users           BIGINT NOT NULL,
    active_users          BIGINT NOT NULL,
    total_api_keys        BIGINT NOT NULL,
    active_api_keys       BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};
