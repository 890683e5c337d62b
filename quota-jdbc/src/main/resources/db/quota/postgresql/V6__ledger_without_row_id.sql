-- Quota schema, version 6, PostgreSQL: one index entry less per stored event.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- The usage log loses its surrogate key "id" (an identity column and its primary-key index). No statement of
-- Quota reads or orders by it: an event is identified by its unique key (user_id, request_id), and lists are
-- ordered by (occurred_at, request_id, user_id). Every stored event maintained six index entries and drew a
-- sequence value; now five and none. Every row and every other index stays as it is (PostgreSQL drops a
-- column without rewriting the table).
ALTER TABLE ${prefix}usage_log DROP COLUMN IF EXISTS id;
