-- Quota schema, version 1, MySQL 8 / MariaDB 10.5+.
--
-- Placeholders (Flyway syntax): ${prefix} is the table-name prefix (default "quota_"); ${collation} is an
-- exact, binary collation for text: utf8mb4_nopad_bin on MariaDB, utf8mb4_0900_bin on MySQL 8
-- (SchemaInstaller picks it from the server). A binary NO PAD collation keeps request ids, counter names
-- and model names case- and trailing-space-sensitive, as on the other dialects.
-- Money columns are BIGINT nano-units (1 USD = 1,000,000,000). Instants are BIGINT epoch milliseconds,
-- always bound from the application's clock, never from SQL NOW(). Window starts are NULL until the
-- first usage is recorded. Indexes are declared inside CREATE TABLE so that the script is idempotent.

-- Users' balances.
CREATE TABLE IF NOT EXISTS ${prefix}balance (
    user_id BIGINT NOT NULL PRIMARY KEY,
    balance BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- Subscriptions and their rolling 1 d / 7 d / 30 d usage windows.
CREATE TABLE IF NOT EXISTS ${prefix}subscription (
    user_id       BIGINT      NOT NULL,
    group_id      BIGINT      NOT NULL,
    status        VARCHAR(16) NOT NULL,
    expires_at    BIGINT      NOT NULL,
    daily_used    BIGINT      NOT NULL,
    daily_start   BIGINT,
    weekly_used   BIGINT      NOT NULL,
    weekly_start  BIGINT,
    monthly_used  BIGINT      NOT NULL,
    monthly_start BIGINT,
    PRIMARY KEY (user_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- Generic window counters, e.g. an API key's 5 h / 1 d / 7 d spend.
CREATE TABLE IF NOT EXISTS ${prefix}window_counter (
    name         VARCHAR(200) NOT NULL PRIMARY KEY,
    window_label VARCHAR(64)  NOT NULL,
    used         BIGINT       NOT NULL,
    window_start BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- User x platform quota records: own limits (own_limits = 0: the defaults apply; NULL limit: unlimited),
-- usage and window starts of the calendar day, calendar week and rolling 30 days.
CREATE TABLE IF NOT EXISTS ${prefix}platform_quota (
    user_id       BIGINT       NOT NULL,
    platform      VARCHAR(128) NOT NULL,
    own_limits    SMALLINT     NOT NULL,
    daily_limit   BIGINT,
    weekly_limit  BIGINT,
    monthly_limit BIGINT,
    daily_used    BIGINT       NOT NULL,
    daily_start   BIGINT,
    weekly_used   BIGINT       NOT NULL,
    weekly_start  BIGINT,
    monthly_used  BIGINT       NOT NULL,
    monthly_start BIGINT,
    PRIMARY KEY (user_id, platform)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- Configured platform quota defaults: auth_source '' holds the system default; a row with platform ''
-- declares an auth source without any limits. Replaced as a whole.
CREATE TABLE IF NOT EXISTS ${prefix}platform_quota_default (
    auth_source   VARCHAR(128) NOT NULL,
    platform      VARCHAR(128) NOT NULL,
    daily_limit   BIGINT,
    weekly_limit  BIGINT,
    monthly_limit BIGINT,
    PRIMARY KEY (auth_source, platform)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- User x group requests-per-minute overrides (0 = exempt at group level).
CREATE TABLE IF NOT EXISTS ${prefix}rpm_override (
    user_id  BIGINT NOT NULL,
    group_id BIGINT NOT NULL,
    rpm      BIGINT NOT NULL,
    PRIMARY KEY (user_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- The append-only usage ledger, idempotent by request_id.
CREATE TABLE IF NOT EXISTS ${prefix}usage_log (
    id                    BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    request_id            VARCHAR(128) NOT NULL,
    user_id               BIGINT       NOT NULL,
    api_key_id            BIGINT,
    account_id            BIGINT,
    group_id              BIGINT,
    billing_mode          VARCHAR(16)  NOT NULL,
    platform              VARCHAR(128),
    model                 VARCHAR(128),
    input_tokens          BIGINT       NOT NULL,
    output_tokens         BIGINT       NOT NULL,
    cache_creation_tokens BIGINT       NOT NULL,
    cache_read_tokens     BIGINT       NOT NULL,
    total_cost            BIGINT       NOT NULL,
    actual_cost           BIGINT       NOT NULL,
    input_cost            BIGINT       NOT NULL,
    output_cost           BIGINT       NOT NULL,
    cache_creation_cost   BIGINT       NOT NULL,
    cache_read_cost       BIGINT       NOT NULL,
    http_status           INT          NOT NULL,
    is_error              SMALLINT     NOT NULL,
    error_message         MEDIUMTEXT,
    response_time_ms      BIGINT       NOT NULL,
    attempts              INT          NOT NULL,
    occurred_at           BIGINT       NOT NULL,
    UNIQUE KEY ${prefix}usage_log_request_uq (request_id),
    KEY ${prefix}usage_log_time_ix (occurred_at),
    KEY ${prefix}usage_log_user_ix (user_id, occurred_at),
    KEY ${prefix}usage_log_key_ix (api_key_id, occurred_at),
    KEY ${prefix}usage_log_account_ix (account_id, occurred_at),
    KEY ${prefix}usage_log_group_ix (group_id, occurred_at),
    KEY ${prefix}usage_log_model_ix (model, occurred_at),
    KEY ${prefix}usage_log_platform_ix (platform, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- Hourly per user x model roll-ups (hour_start: an hour boundary in the business zone, epoch ms).
CREATE TABLE IF NOT EXISTS ${prefix}usage_hourly (
    hour_start BIGINT       NOT NULL,
    user_id    BIGINT       NOT NULL,
    model      VARCHAR(128) NOT NULL,
    requests   BIGINT       NOT NULL,
    tokens     BIGINT       NOT NULL,
    cost       BIGINT       NOT NULL,
    PRIMARY KEY (hour_start, user_id, model),
    KEY ${prefix}usage_hourly_user_ix (user_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};

-- Daily statistics per business day (stat_day: yyyymmdd in the business zone); user_id 0 = global.
CREATE TABLE IF NOT EXISTS ${prefix}stats_daily (
    stat_day              INT    NOT NULL,
    user_id               BIGINT NOT NULL,
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
    PRIMARY KEY (stat_day, user_id),
    KEY ${prefix}stats_daily_user_ix (user_id, stat_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation};
