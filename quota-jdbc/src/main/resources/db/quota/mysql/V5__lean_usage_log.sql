-- Quota schema, version 5, MySQL/MariaDB: a cheaper write path for the usage ledger.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- Three secondary indexes of the usage log go: (group_id, occurred_at), (model, occurred_at) and
-- (platform, occurred_at). No query of Quota needs them: the reports filter the log by user, API key, account
-- and time (those indexes stay), per-model figures come from the hourly roll-ups, and a UsageFilter on group,
-- model or platform is answered through the time or user index plus a filter. Every stored event maintained
-- nine index entries; now six.
ALTER TABLE ${prefix}usage_log
    DROP INDEX ${prefix}usage_log_group_ix,
    DROP INDEX ${prefix}usage_log_model_ix,
    DROP INDEX ${prefix}usage_log_platform_ix;
