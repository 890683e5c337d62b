-- Quota schema, version 2, MySQL 8 / MariaDB 10.5+: one idempotency scope and the dead letters.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_"); ${collation} as in V1.
--
-- 1. A request id is unique PER USER (dev.quota.core.usage.UsageKey), in Redis and in SQL alike: the same
--    request id recorded for two users is two requests, recorded twice for one user it is one. The unique key
--    of the usage log becomes (user_id, request_id). Every V1 row stays valid: a key unique on request_id
--    alone is unique on (user_id, request_id) too. MySQL DDL is not transactional, so the swap of the two
--    keys is ONE statement (atomic on InnoDB).
-- 2. Events the database refuses as data (a poison event) are moved to <prefix>usage_dead_letter with the
--    error, so that they never block the valid events of a batch. request_id and payload are escaped text
--    (control characters and unpaired surrogates as \uXXXX), which every dialect stores unchanged.

ALTER TABLE ${prefix}usage_log
    ADD UNIQUE KEY ${prefix}usage_log_user_request_uq (user_id, request_id),
    DROP INDEX ${prefix}usage_log_request_uq;

CREATE TABLE IF NOT EXISTS ${prefix}usage_dead_letter (
    id         BIGINT     NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT     NOT NULL,
    request_id TEXT       NOT NULL,
    payload    MEDIUMTEXT NOT NULL,
    error      TEXT       NOT NULL,
    created_at BIGINT     NOT NULL,
    KEY ${prefix}usage_dead_letter_time_ix (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};
