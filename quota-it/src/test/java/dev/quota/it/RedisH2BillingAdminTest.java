package dev.quota.it;

import dev.quota.testkit.contract.BillingAdminContract;

/** {@link BillingAdminContract} on Redis with the SQL adapter on H2. */
class RedisH2BillingAdminTest extends BillingAdminContract {

    @Override
    protected Backends createBackends() {
        return RedisSqlBackends.on(SqlTarget.h2());
    }
}
