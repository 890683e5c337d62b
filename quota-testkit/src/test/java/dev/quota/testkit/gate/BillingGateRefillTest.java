package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.GROUP;
import static dev.quota.testkit.gate.GateFixture.KEY;
import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BillingGate;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.DenyReason;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.BillingMode;
import dev.quota.testkit.InMemoryBillingCache;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store reads never miss usage this gate recorded: while a user has usage on its way to the store (handed to
 * the sink, not stored yet), a check answered from the store counts that usage, and no cache entry of that
 * user is refilled, however long the writer lags behind the cache's time-based dirty markers.
 */
class BillingGateRefillTest extends GateTest {

    /** Past the in-memory cache's dirty TTL: the writer lags longer than the dirty markers last. */
    private static final Duration LAG = InMemoryBillingCache.DEFAULT_DIRTY_TTL.plusSeconds(1);

    private HeldSink sink;
    private BillingGate gate;

    @BeforeEach
    void setUp() {
        sink = new HeldSink(q.usageSink());
    }

    @Test
    void aMissWhileUsageIsOnItsWayToTheStoreReadsTheStoreButDoesNotRefill() {
        gate = open(q.gateBuilder().usageSink(sink));
        gate.record(usage(q, "2").build()); // the cache has no entry yet: nothing to deduct, the store lags
        q.clock().advance(LAG);

        assertThat(gate.check(request().build()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("5 USD from the lagging store is not cached").isEmpty();

        sink.catchUp();
        assertThat(q.balances().find(USER)).contains(usd("3"));
        assertThat(gate.check(request().build()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("refilled once the store has it").contains(usd("3"));
    }

    @Test
    void aStoreReadThatBeganBeforeUsageWasRecordedIsNotWrittenAfterIt() throws Exception {
        gate = open(q.gateBuilder().usageSink(sink).loadTimeout(Duration.ofSeconds(30)));
        q.storeFaults().hang();
        Thread checker = new Thread(() -> gate.check(request().build()));
        checker.start();
        assertThat(q.storeFaults().awaitHungCalls(1, 30, TimeUnit.SECONDS)).isTrue();
        // The check's store read (5 USD) is under way. Usage arrives, and the writer lags past the dirty marker:
        gate.record(usage(q, "2").build());
        q.clock().advance(LAG);
        q.storeFaults().heal();
        checker.join(TimeUnit.SECONDS.toMillis(30));
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).as("the read that lacks the 2 USD is not cached").isEmpty();

        sink.catchUp();
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("3"));
    }

    @Test
    void aBalanceReadFromALaggingStoreCountsTheUsageStillOnItsWay() {
        gate = open(q.gateBuilder().usageSink(sink));
        gate.record(usage(q, "2").build());
        gate.record(usage(q, "2.5").build());
        assertThat(gate.check(request().build()).allowed()).as("5 - 4.5 USD left").isTrue();

        gate.record(usage(q, "1").build());
        assertThat(gate.check(request().build()).reason()).as("5 - 5.5 USD: the store alone still says 5")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);

        sink.catchUp();
        q.clock().advance(LAG); // and the dirty markers have lapsed
        assertThat(q.balances().find(USER)).contains(usd("-0.5"));
        assertThat(gate.check(request().build()).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("-0.5"));
    }

    @Test
    void subscriptionWindowsReadFromALaggingStoreCountTheUsageStillOnItsWay() {
        q.subscriptions().save(new SubscriptionState(USER, GROUP, SubscriptionStatus.ACTIVE,
                q.clock().instant().plus(Duration.ofDays(30)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));
        gate = open(q.gateBuilder().usageSink(sink));
        CheckRequest subscribed = request().subscriptionGroup(GROUP, new PeriodLimits(Limit.of(usd("3")),
                Limit.unlimited(), Limit.unlimited()), Limit.unlimited()).subscribed(true).build();
        gate.record(usage(q, "2").billingMode(BillingMode.SUBSCRIPTION).groupId(GROUP).build());
        gate.record(usage(q, "1").build()); // balance mode: does not count in the subscription
        assertThat(gate.check(subscribed).allowed()).isTrue();

        gate.record(usage(q, "1").billingMode(BillingMode.SUBSCRIPTION).groupId(GROUP).build());
        assertThat(gate.check(subscribed).reason()).isEqualTo(DenyReason.DAILY_LIMIT_EXCEEDED);
    }

    @Test
    void platformAndKeyWindowsReadFromALaggingStoreCountTheUsageStillOnItsWay() {
        q.platformQuotas().setLimits(USER, PLATFORM, new PeriodLimits(Limit.of(usd("2")), Limit.unlimited(),
                Limit.unlimited()));
        gate = open(q.gateBuilder().usageSink(sink));
        gate.record(usage(q, "1.5").platform(PLATFORM).apiKeyId(KEY).build());
        gate.record(usage(q, "1").platform("openai").build()); // another platform, no key
        CheckRequest onPlatform = request().platform(PLATFORM).build();
        CheckRequest withKey = request().apiKey(KEY, new KeyLimits(Limit.of(usd("2")), Limit.unlimited(),
                Limit.unlimited())).build();
        assertThat(gate.check(onPlatform).allowed()).isTrue();
        assertThat(gate.check(withKey).allowed()).isTrue();

        gate.record(usage(q, "0.5").platform(PLATFORM).apiKeyId(KEY).build());
        assertThat(gate.check(onPlatform).reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        assertThat(gate.check(withKey).reason()).isEqualTo(DenyReason.API_KEY_RATE_5H_EXCEEDED);
    }

    @Test
    void usageTheSinkRefusedDoesNotHoldBackRefills() {
        gate = open(q.gateBuilder().usageSink(sink));
        sink.refuseNextReserve();
        assertThatThrownBy(() -> gate.record(usage(q, "2").build())).isInstanceOf(BackendUnavailableException.class);
        q.clock().advance(LAG);

        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(USER)).contains(usd("5"));
    }

    @Test
    void settledUsageOfOneUserDoesNotHoldBackAnother() {
        long other = USER + 1;
        q.balances().set(other, usd("7"));
        gate = open(q.gateBuilder().usageSink(sink));
        gate.record(usage(q, "2").build());
        q.clock().advance(LAG);

        gate.check(CheckRequest.builder(other).noGroupRpmOverride().build());
        gate.check(request().build());
        gate.flush();
        assertThat(q.cache().cachedBalance(other)).contains(usd("7"));
        assertThat(q.cache().cachedBalance(USER)).isEmpty();
    }
}
