-- Quota schema, version 6, MySQL/MariaDB: nothing changes.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_").
--
-- On PostgreSQL and H2 this version drops the usage log's surrogate key "id", which no statement of Quota
-- reads. InnoDB keeps it: it stores a table in the order of its primary key, and the auto-increment "id" keeps
-- every insert at the end of the table; without it the unique key (user_id, request_id) would become the
-- clustered key, every insert would land in the middle of the table, and every secondary index entry would
-- carry that wider key. The version exists here so that every dialect has the same version numbers.
SELECT 1;
