package dev.quota.it;

import dev.quota.testkit.contract.BillingAdminContract;

/** {@link BillingAdminContract} on Redis with the SQL adapter on MariaDb. */
class RedisMariaDbBillingAdminTest extends BillingAdminContract {

    @Override
    protected Backends createBackends() {
        return RedisSqlBackends.on(SqlTarget.fromEnv(SqlTarget.MYSQL_ENV));
    }
}
