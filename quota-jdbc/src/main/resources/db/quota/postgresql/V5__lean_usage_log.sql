-- Quota schema, version 5, PostgreSQL: a cheaper write path for the usage ledger.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- 1. Three secondary indexes of the usage log go: (group_id, occurred_at), (model, occurred_at) and
--    (platform, occurred_at). No query of Quota needs them: the reports filter the log by user, API key,
--    account and time (those indexes stay), per-model figures come from the hourly roll-ups, and a UsageFilter
--    on group, model or platform is answered through the time or user index plus a filter. Every stored event
--    maintained nine index entries; now six.
-- 2. The counter tables keep half of each page free (fillfactor 50; new pages only, existing rows are not
--    moved): a counter update changes no indexed column, so with room on its page it is a HOT update (no index
--    entry, and the page prunes its own dead versions) instead of a new index entry per update.
DROP INDEX IF EXISTS ${prefix}usage_log_group_ix;
DROP INDEX IF EXISTS ${prefix}usage_log_model_ix;
DROP INDEX IF EXISTS ${prefix}usage_log_platform_ix;

ALTER TABLE ${prefix}balance SET (fillfactor = 50);
ALTER TABLE ${prefix}subscription SET (fillfactor = 50);
ALTER TABLE ${prefix}platform_quota SET (fillfactor = 50);
ALTER TABLE ${prefix}window_counter SET (fillfactor = 50);
ALTER TABLE ${prefix}usage_hourly SET (fillfactor = 50);
