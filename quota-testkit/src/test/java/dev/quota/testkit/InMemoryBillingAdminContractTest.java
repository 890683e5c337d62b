package dev.quota.testkit;

import dev.quota.core.BillingGate;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.testkit.contract.BillingAdminContract;
import java.time.Instant;
import java.time.ZoneId;

class InMemoryBillingAdminContractTest extends BillingAdminContract {

    @Override
    protected Backends createBackends() {
        InMemoryQuota q = InMemoryQuota.create(MutableClock.startingAt("2026-11-18T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
        return new Backends() {
            @Override
            public BillingGate.Builder gateBuilder() {
                return q.gateBuilder();
            }

            @Override
            public BalanceStore balances() {
                return q.balances();
            }

            @Override
            public SubscriptionStore subscriptions() {
                return q.subscriptions();
            }

            @Override
            public PlatformQuotaStore platformQuotas() {
                return q.platformQuotas();
            }

            @Override
            public Instant now() {
                return q.clock().instant();
            }

            @Override
            public void close() {
            }
        };
    }
}
