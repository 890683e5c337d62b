package dev.quota.redis;

import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.UsageEvent;
import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.testkit.InMemoryBalanceStore;
import dev.quota.testkit.InMemoryUsageLedger;
import dev.quota.testkit.InMemoryUsageSink;
import dev.quota.testkit.MutableClock;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The billing gate on the Redis adapter with the testkit's stores standing in for SQL: while Redis is down
 * the gate answers from the stores, and once Redis is back the gate refills it.
 */
class GateOverRedisTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long USER = 1;

    private EmbeddedRedis server;
    private RedisQuota quota;
    private InMemoryBalanceStore balances;
    private MutableClock clock;
    private BillingGate gate;

    @BeforeEach
    void start() {
        server = EmbeddedRedis.start();
        quota = RedisQuota.create(server.client(), RedisQuotaOptions.builder().keyPrefix(server.newPrefix()).build());
        InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
        balances = ledger.balances();
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
        gate = BillingGate.builder()
                .cache(quota.billingCache())
                .rpmCounter(quota.rpmCounter())
                .balances(balances)
                .subscriptions(ledger.subscriptions())
                .platformQuotas(ledger.platformQuotas())
                .windowCounters(ledger.windowCounters())
                .usageSink(InMemoryUsageSink.forwardingTo(ledger, clock, ZONE))
                .clock(clock)
                .zone(ZONE)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        gate.close();
        server.close();
    }

    @Test
    void theGateServesFromTheStoresWhileRedisIsDownAndNoEntryAnswersFromItsOldValueWhenItIsBack() {
        balances.set(USER, usd("10"));
        CheckRequest request = CheckRequest.builder(USER).userRpmLimit(Limit.of(100)).build();

        assertThat(gate.check(request).allowed()).isTrue();
        gate.flush();
        assertThat(cachedBalance()).isEqualTo(usd("10").nanos());

        server.stopServer();
        Decision whileDown = gate.check(request);
        gate.record(UsageEvent.builder("r-1", USER).totalCost(usd("4")).occurredAt(clock.instant()).build());
        gate.flush();
        server.restart();

        assertThat(whileDown.allowed()).as("balance loaded from the store, RPM fails open").isTrue();
        assertThat(balances.find(USER)).contains(usd("6"));
        Decision afterRestart = gate.check(request);
        gate.flush();
        assertThat(afterRestart.allowed()).isTrue();
        // The usage recorded during the outage owed an eviction of the balance, paid before the first use of
        // the cache: the entry is dirty, so no value loaded before the store caught up can land.
        assertThat(rawView().misses()).as("no stale balance answers").contains(CacheEntryKind.BALANCE);
        assertThat(server.client().exists(quota.keys().dirty(quota.keys().balance(USER)))).isTrue();
        assertThat(gate.metrics().owedEvictions()).isZero();

        // once the dirty marker is gone (deleted here instead of waiting for its TTL), a check refills it
        server.client().del(quota.keys().dirty(quota.keys().balance(USER)));
        assertThat(gate.check(request).allowed()).isTrue();
        gate.flush();
        assertThat(cachedBalance()).as("refilled from the store").isEqualTo(usd("6").nanos());
    }

    private CheckView rawView() {
        return quota.billingCache().check(new CacheCheck(CheckRequest.builder(USER).build(), RpmPlan.NONE,
                clock.instant(), ZONE));
    }

    private long cachedBalance() {
        CheckView v = quota.billingCache().check(new CacheCheck(CheckRequest.builder(USER).build(), RpmPlan.NONE,
                clock.instant(), ZONE));
        assertThat(v.complete()).isTrue();
        return v.balance().nanos();
    }
}
