-- Quota schema, version 6, H2: one index entry less per stored event.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- The usage log loses its surrogate key "id" (an identity column and its primary-key index). No statement of
-- Quota reads or orders by it: an event is identified by its unique key (user_id, request_id), and lists are
-- ordered by (occurred_at, request_id, user_id). Every row and every other index stays.
ALTER TABLE ${prefix}usage_log DROP COLUMN IF EXISTS id;
