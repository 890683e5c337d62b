-- Quota schema, version 3, MySQL 8 / MariaDB 10.5+: idempotent balance changes.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_"); ${collation} as in V1.
--
-- Every balance change made with an operation id (BalanceStore.adjust: a payment, a refund, an admin
-- correction) records the id here in the transaction that changes the balance, so that a replayed payment
-- notification never credits twice. Ids are unique per user, like request ids.

CREATE TABLE IF NOT EXISTS ${prefix}balance_operation (
    user_id      BIGINT       NOT NULL,
    operation_id VARCHAR(128) NOT NULL,
    amount       BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (user_id, operation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};
